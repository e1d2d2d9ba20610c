using System;
using System.Globalization;
using System.Linq;
using Repos.Generators.Model;

namespace Repos.Generators.Emitting;

/// <summary>
/// Emits a type's validator: its DataAnnotations rules and <c>required</c> members as plain checks, and
/// the validators of the objects stored inside it.
/// </summary>
internal static class ValidationEmitter
{
    public static void EmitValidate(SourceWriter w, ObjectSpec spec)
    {
        for (int i = 0; i < spec.Properties.Count; i++)
        {
            foreach (RuleSpec rule in spec.Properties[i].Rules)
            {
                if (rule.Kind == RuleKind.RegularExpression)
                {
                    w.Line($"private static readonly global::System.Text.RegularExpressions.Regex s_pattern{i} = new({rule.Arguments[0]}, global::System.Text.RegularExpressions.RegexOptions.CultureInvariant);");
                    w.Line();
                    break;
                }
            }
        }

        w.Line("/// <summary>Adds every rule the value breaks to <paramref name=\"errors\"/>, naming properties under the objects it entered.</summary>");
        using (w.Block($"public static void Validate({spec.TypeName} value, global::Repos.ValidationErrors errors)"))
        {
            bool any = false;
            for (int i = 0; i < spec.Properties.Count; i++)
            {
                any |= EmitProperty(w, spec.Properties[i], i);
            }

            if (!any)
            {
                w.Line("// No rules.");
            }
        }
    }

    private static bool EmitProperty(SourceWriter w, PropertySpec property, int ordinal)
    {
        string value = $"value.{property.Name}";
        string name = $"\"{property.Name}\"";
        bool emitted = false;
        bool hasRequired = property.Rules.Any(r => r.Kind == RuleKind.Required);
        TypeSpec type = property.Type;
        bool isReference = type.Kind is not (ValueKind.Nullable or ValueKind.Enum) && !IsValueType(type.Kind);

        if (property.IsRequiredMember && !hasRequired && isReference && !type.IsNullableReference)
        {
            Check(w, $"{value} is null", property, "Required", $"The {property.Name} field is required.", null);
            emitted = true;
        }

        foreach (RuleSpec rule in property.Rules)
        {
            emitted = true;
            string a0 = rule.Arguments.Count > 0 ? rule.Arguments[0] : string.Empty;
            string a1 = rule.Arguments.Count > 1 ? rule.Arguments[1] : string.Empty;
            switch (rule.Kind)
            {
                case RuleKind.Required when type.Kind == ValueKind.String && !rule.Arguments.Contains("allowEmpty"):
                    Check(w, $"string.IsNullOrWhiteSpace({value})", property, "Required", Message(rule, "The {0} field is required.", property), null);
                    break;
                case RuleKind.Required when isReference || type.Kind == ValueKind.Nullable:
                    Check(w, $"{value} is null", property, "Required", Message(rule, "The {0} field is required.", property), null);
                    break;
                case RuleKind.Required:
                    break;
                case RuleKind.Range when type.Kind == ValueKind.Nullable:
                {
                    string x = $"r{ordinal}";
                    Check(w, $"{value} is {{ }} {x} && ({x} < {Number(a0, type)} || {x} > {Number(a1, type)})", property, "Range",
                        Message(rule, "The field {0} must be between {1} and {2}.", property, Trim(a0), Trim(a1)), value);
                    break;
                }

                case RuleKind.Range:
                    Check(w, $"{value} < {Number(a0, type)} || {value} > {Number(a1, type)}", property, "Range",
                        Message(rule, "The field {0} must be between {1} and {2}.", property, Trim(a0), Trim(a1)), value);
                    break;

                case RuleKind.MinLength:
                    Check(w, $"{value} is {{ }} && {Length(type, value)} < {a0}", property, "MinLength",
                        Message(rule, "The field {0} must be a string or array type with a minimum length of '{1}'.", property, a0), value);
                    break;
                case RuleKind.MaxLength when a0.Length > 0 && a0 != "-1":
                    Check(w, $"{value} is {{ }} && {Length(type, value)} > {a0}", property, "MaxLength",
                        Message(rule, "The field {0} must be a string or array type with a maximum length of '{1}'.", property, a0), value);
                    break;
                case RuleKind.MaxLength:
                    break;
                case RuleKind.StringLength:
                    string text = a1 == "0"
                        ? "The field {0} must be a string with a maximum length of {1}."
                        : "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.";
                    Check(w, $"{value} is {{ }} && ({value}.Length > {a0} || {value}.Length < {a1})", property, "StringLength",
                        Message(rule, text, property, a0, a1), value);
                    break;
                case RuleKind.RegularExpression:
                    Check(w, $"{value} is {{ }} && !global::Repos.Internal.ValidationRules.IsFullMatch(s_pattern{ordinal}, {value})", property, "RegularExpression",
                        Message(rule, "The field {0} must match the regular expression '{1}'.", property, Trim(a0)), value);
                    break;
                case RuleKind.EmailAddress:
                    Check(w, $"{value} is {{ }} && !global::Repos.Internal.ValidationRules.IsEmailAddress({value})", property, "EmailAddress",
                        Message(rule, "The {0} field is not a valid e-mail address.", property), value);
                    break;
            }
        }

        emitted |= EmitNested(w, type, value, name, ordinal);
        return emitted;
    }

    /// <summary>Validates objects stored in the property: directly, or as elements of arrays and lists.</summary>
    private static bool EmitNested(SourceWriter w, TypeSpec type, string value, string name, int depth)
    {
        switch (type.Kind)
        {
            case ValueKind.Object:
                using (w.Block($"if ({value} is {{ }} o{depth} && errors.Enter({name}))"))
                {
                    w.Line($"{ValueEmitter.SerializerOf(type)}.Validate(o{depth}, errors);");
                    w.Line("errors.Leave();");
                }

                return true;
            case ValueKind.Array or ValueKind.List or ValueKind.ReadOnlyList when type.Element!.Kind == ValueKind.Object:
            {
                string count = type.Kind == ValueKind.Array ? "Length" : "Count";
                bool indexer = type.Kind == ValueKind.Array || (!type.TypeName.Contains("ICollection<") && !type.TypeName.Contains("IReadOnlyCollection<"));
                if (!indexer)
                {
                    return false;
                }

                using (w.Block($"if ({value} is {{ }} l{depth})"))
                {
                    using (w.Block($"for (int j{depth} = 0; j{depth} < l{depth}.{count}; j{depth}++)"))
                    {
                        using (w.Block($"if (l{depth}[j{depth}] is {{ }} o{depth} && errors.Enter({name}, j{depth}))"))
                        {
                            w.Line($"{ValueEmitter.SerializerOf(type.Element!)}.Validate(o{depth}, errors);");
                            w.Line("errors.Leave();");
                        }
                    }
                }

                return true;
            }

            default:
                return false;
        }
    }

    private static void Check(SourceWriter w, string condition, PropertySpec property, string rule, string message, string? value)
    {
        using (w.Block($"if ({condition})"))
        {
            string argument = value is null ? string.Empty : $", {value}";
            w.Line($"errors.Add(\"{property.Name}\", \"{rule}\", {Literal(message)}{argument});");
        }
    }

    private static string Message(RuleSpec rule, string fallback, PropertySpec property, params string[] arguments)
    {
        string format = rule.ErrorMessage ?? fallback;
        try
        {
            return string.Format(CultureInfo.InvariantCulture, format, new object[] { property.Name }.Concat(arguments.Select(Trim)).ToArray());
        }
        catch (FormatException)
        {
            return format;
        }
    }

    private static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);

    private static string Trim(string literal) => literal.Trim('"').TrimEnd('d', 'f');

    private static string Length(TypeSpec type, string value)
    {
        TypeSpec inner = type.Kind == ValueKind.Nullable ? type.Element! : type;
        return inner.Kind is ValueKind.String or ValueKind.ByteArray or ValueKind.Array ? $"{value}.Length" : $"{value}.Count";
    }

    /// <summary>A Range bound as a literal of the property's numeric type family.</summary>
    private static string Number(string literal, TypeSpec type)
    {
        TypeSpec inner = type.Kind == ValueKind.Nullable ? type.Element! : type;
        string bare = Trim(literal);
        return inner.Kind switch
        {
            ValueKind.Single or ValueKind.Double => bare.Contains(".") || bare.Contains("E") ? bare + "d" : bare + ".0d",
            ValueKind.Decimal => bare + "m",
            _ => bare,
        };
    }

    private static bool IsValueType(ValueKind kind) => kind <= ValueKind.TimeSpan && kind != ValueKind.String;
}
