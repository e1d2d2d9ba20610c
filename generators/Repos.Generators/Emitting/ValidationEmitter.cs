using System;
using System.Globalization;
using System.Linq;
using Repos.Generators.Model;
using Repos.Generators.Parsing;

namespace Repos.Generators.Emitting;

/// <summary>
/// Emits a type's validator: its DataAnnotations rules and <c>required</c> members as plain checks, and
/// the validators of the objects stored inside it.
/// </summary>
internal static class ValidationEmitter
{
    private const string Rules = "global::Repos.Internal.ValidationRules";

    public static void EmitValidate(SourceWriter w, ObjectSpec spec)
    {
        bool patterns = false;
        for (int i = 0; i < spec.Properties.Count; i++)
        {
            if (spec.Properties[i].Rules.Any(r => r.Kind == RuleKind.RegularExpression))
            {
                // Built on first use: a static initializer that threw would make the whole type unusable.
                w.Line($"private static global::System.Text.RegularExpressions.Regex? s_pattern{i};");
                patterns = true;
            }
        }

        if (patterns)
        {
            w.Line();
        }

        w.Line("/// <summary>Adds every rule the value breaks to <paramref name=\"errors\"/>, naming properties under the objects it entered.</summary>");
        using (w.Block($"public static void Validate({spec.TypeName} value, global::Repos.ValidationErrors errors)"))
        {
            for (int i = 0; i < spec.Properties.Count; i++)
            {
                EmitProperty(w, spec.Properties[i], i);
            }
        }
    }

    /// <summary>One line per rule of the property, then one for the objects stored in it.</summary>
    private static void EmitProperty(SourceWriter w, PropertySpec property, int ordinal)
    {
        string value = $"value.{Naming.Escape(property.Name)}";
        string head = $"errors, \"{property.Name}\", {value}";
        bool hasRequired = property.Rules.Any(r => r.Kind == RuleKind.Required);
        TypeSpec type = property.Type;
        bool isReference = type.Kind is not (ValueKind.Nullable or ValueKind.Enum) && !IsValueType(type.Kind);

        if (property.IsRequiredMember && !hasRequired && isReference && !type.IsNullableReference)
        {
            w.Line($"{Rules}.Required({head}, {Emitting.Emit.Literal($"The {property.Name} field is required.")});");
        }

        foreach (RuleSpec rule in property.Rules)
        {
            string a0 = rule.Arguments.Count > 0 ? rule.Arguments[0] : string.Empty;
            string a1 = rule.Arguments.Count > 1 ? rule.Arguments[1] : string.Empty;
            string rangeType = rule.Kind == RuleKind.Range ? RangeType(type, a0, a1) : string.Empty;
            string? call = rule.Kind switch
            {
                RuleKind.Required when type.Kind == ValueKind.String && !rule.Arguments.Contains("allowEmpty") =>
                    $"RequiredText({head}, {Message(rule, "The {0} field is required.", property)})",
                RuleKind.Required when type.Kind == ValueKind.Nullable =>
                    $"RequiredValue({head}, {Message(rule, "The {0} field is required.", property)})",
                RuleKind.Required when isReference =>
                    $"Required({head}, {Message(rule, "The {0} field is required.", property)})",
                RuleKind.Range => $"{(type.Kind == ValueKind.Nullable ? "NullableRange" : "Range")}<{rangeType}>({head}, "
                    + $"{Number(a0, rangeType)}, {Number(a1, rangeType)}, "
                    + $"{Message(rule, "The field {0} must be between {1} and {2}.", property, Trim(a0), Trim(a1))})",
                RuleKind.MinLength => $"MinLength({head}, {value}?.{Length(type)}, {a0}, "
                    + $"{Message(rule, "The field {0} must be a string or array type with a minimum length of '{1}'.", property, a0)})",
                RuleKind.MaxLength when a0.Length > 0 && a0 != "-1" => $"MaxLength({head}, {value}?.{Length(type)}, {a0}, "
                    + $"{Message(rule, "The field {0} must be a string or array type with a maximum length of '{1}'.", property, a0)})",
                RuleKind.StringLength => $"StringLength({head}, {a0}, {a1}, " + Message(
                    rule,
                    a1 == "0" ? "The field {0} must be a string with a maximum length of {1}." : "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.",
                    property,
                    a0,
                    a1) + ")",
                RuleKind.RegularExpression => $"Matches({head}, ref s_pattern{ordinal}, {a0}, "
                    + $"{Message(rule, "The field {0} must match the regular expression '{1}'.", property, Trim(a0))})",
                RuleKind.EmailAddress => $"EmailAddress({head}, {Message(rule, "The {0} field is not a valid e-mail address.", property)})",
                _ => null,
            };
            if (call is not null)
            {
                w.Line($"{Rules}.{call};");
            }
        }

        EmitNested(w, type, property.Name, value);
    }

    /// <summary>Validates the objects stored in the property: directly, or as elements or dictionary values.</summary>
    private static void EmitNested(SourceWriter w, TypeSpec type, string name, string value)
    {
        TypeSpec? element = type.Element;
        switch (type.Kind)
        {
            case ValueKind.Object:
                w.Line($"{Rules}.Object<{type.NonNullableName}, {ValueEmitter.SerializerOf(type)}>(errors, \"{name}\", {value});");
                break;
            case ValueKind.Array or ValueKind.List or ValueKind.ReadOnlyList or ValueKind.HashSet when element!.Kind == ValueKind.Object:
                w.Line($"{Rules}.Elements<{element.NonNullableName}, {ValueEmitter.SerializerOf(element)}>(errors, \"{name}\", {value});");
                break;
            case ValueKind.Dictionary when element!.Kind == ValueKind.Object:
                w.Line($"{Rules}.Values<{type.Key!.TypeName}, {element.TypeName}, {element.NonNullableName}, {ValueEmitter.SerializerOf(element)}>(errors, \"{name}\", {value});");
                break;
        }
    }

    /// <summary>The rule's message as a literal: the attribute's <c>ErrorMessage</c> or DataAnnotations' own, formatted as it would be.</summary>
    private static string Message(RuleSpec rule, string fallback, PropertySpec property, params string[] arguments)
    {
        string format = rule.ErrorMessage ?? fallback;
        try
        {
            return Emitting.Emit.Literal(string.Format(CultureInfo.InvariantCulture, format, new object[] { property.Name }.Concat(arguments.Select(Trim)).ToArray()));
        }
        catch (FormatException)
        {
            return Emitting.Emit.Literal(format);
        }
    }


    private static string Trim(string literal) => literal.Trim('"').TrimEnd('d', 'f');

    private static string Length(TypeSpec type) =>
        type.Kind is ValueKind.String or ValueKind.ByteArray or ValueKind.Array ? "Length" : "Count";

    /// <summary>
    /// The type a [Range] compares in: double for floating-point properties or bounds, decimal for decimal and
    /// <c>ulong</c> properties (every bound and value fits), long for the other integers.
    /// </summary>
    private static string RangeType(TypeSpec type, string minimum, string maximum)
    {
        TypeSpec inner = type.Kind == ValueKind.Nullable ? type.Element! : type;
        return inner.Kind switch
        {
            ValueKind.Single or ValueKind.Double => "double",
            ValueKind.Decimal or ValueKind.UInt64 => "decimal",
            _ when IsFloating(minimum) || IsFloating(maximum) => "double",
            _ => "long",
        };

        static bool IsFloating(string literal)
        {
            string bare = Trim(literal);
            return bare.IndexOfAny(['.', 'E', 'e', 'N', 'I']) >= 0;
        }
    }

    /// <summary>A Range bound as a literal of <paramref name="rangeType"/>.</summary>
    private static string Number(string literal, string rangeType)
    {
        string bare = Trim(literal);
        return (rangeType, bare) switch
        {
            ("double", "Infinity" or "∞") => "double.PositiveInfinity",
            ("double", "-Infinity" or "-∞") => "double.NegativeInfinity",
            ("double", "NaN") => "double.NaN",
            ("double", _) => bare.IndexOfAny(['.', 'E', 'e']) >= 0 ? bare + "d" : bare + ".0d",
            ("decimal", _) => bare + "m",
            _ => bare + "L",
        };
    }

    private static bool IsValueType(ValueKind kind) => kind <= ValueKind.TimeSpan && kind != ValueKind.String;
}
