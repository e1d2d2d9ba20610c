using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Repos.Generators.Diagnostics;
using Repos.Generators.Model;

namespace Repos.Generators.Parsing;

/// <summary>
/// Reads a property's DataAnnotations validation attributes into rules the emitter writes as code. A rule the
/// generated validator would not check as written, or that no value could meet, is reported at the attribute
/// instead: an attribute Repos does not check, an invalid pattern, contradictory or impossible bounds.
/// </summary>
internal static class RuleParser
{
    private const string ValidationAttribute = KnownTypes.DataAnnotations + "ValidationAttribute";
    private const string DataTypeAttribute = KnownTypes.DataAnnotations + "DataTypeAttribute";
    private const string LengthAttribute = KnownTypes.DataAnnotations + "LengthAttribute";

    public static EquatableArray<RuleSpec> Parse(
        IPropertySymbol property,
        TypeSpec type,
        string ownerName,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var rules = new List<RuleSpec>();

        // The tightest length bounds seen so far, with the attribute that set each, to find a pair no value meets.
        (int Value, AttributeData Attribute)? least = null;
        (int Value, AttributeData Attribute)? most = null;
        foreach (AttributeData attribute in InheritedAttributes(property))
        {
            string? name = attribute.AttributeClass?.ToDisplayString();
            string shortName = attribute.AttributeClass?.Name.Replace("Attribute", string.Empty) ?? string.Empty;
            RuleKind? kind = name switch
            {
                KnownTypes.RequiredAttribute => RuleKind.Required,
                KnownTypes.RangeAttribute => RuleKind.Range,
                KnownTypes.MinLengthAttribute => RuleKind.MinLength,
                KnownTypes.MaxLengthAttribute => RuleKind.MaxLength,
                LengthAttribute => RuleKind.MinLength,
                KnownTypes.StringLengthAttribute => RuleKind.StringLength,
                KnownTypes.RegularExpressionAttribute => RuleKind.RegularExpression,
                KnownTypes.EmailAddressAttribute => RuleKind.EmailAddress,
                _ => null,
            };
            void Report(DiagnosticDescriptor descriptor, SyntaxNode? where, params string[] arguments) =>
                diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, (where ?? Syntax(attribute, cancellationToken)).ToInfo(), arguments));

            if (kind is not { } ruleKind)
            {
                if (name != DataTypeAttribute && DerivesFrom(attribute.AttributeClass, ValidationAttribute))
                {
                    Report(DiagnosticDescriptors.RuleNotChecked, null, shortName, property.Name, ownerName,
                        "Repos's generated validator checks [Required], [Range], [MinLength], [MaxLength], [Length], [StringLength], [RegularExpression] and [EmailAddress] only; check this rule in the entity's partial Validate(ValidationErrors errors) method");
                }

                continue;
            }

            string? problem = Applies(ruleKind, type);
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.RuleDoesNotApply, null, shortName, property.Name, ownerName, property.Type.ToDisplayString(), problem);
                continue;
            }

            if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
            {
                continue;
            }

            string? message = null;
            bool allowEmpty = false;
            int minimumLength = 0;
            bool checkable = true;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                switch (named.Key)
                {
                    case "ErrorMessage":
                        message = named.Value.Value as string;
                        break;
                    case "MinimumLength" when ruleKind == RuleKind.StringLength && named.Value.Value is int minimum:
                        minimumLength = minimum;
                        break;
                    case "AllowEmptyStrings" when ruleKind == RuleKind.Required && named.Value.Value is true:
                        allowEmpty = true;
                        break;
                    case "MinimumIsExclusive" or "MaximumIsExclusive" when ruleKind == RuleKind.Range && named.Value.Value is true:
                        Report(DiagnosticDescriptors.RuleNotChecked, NamedArgument(attribute, named.Key, cancellationToken), shortName, property.Name, ownerName,
                            $"Repos checks [Range] bounds inclusively and does not support {named.Key}; give the bound the property may not equal as the nearest value it may take");
                        checkable = false;
                        break;
                    case "MatchTimeoutInMilliseconds" when ruleKind == RuleKind.RegularExpression && named.Value.Value is int timeout && (timeout == 0 || timeout < -1):
                        Report(DiagnosticDescriptors.InvalidRegularExpression, NamedArgument(attribute, named.Key, cancellationToken), property.Name, ownerName,
                            $"MatchTimeoutInMilliseconds is {timeout.ToString(CultureInfo.InvariantCulture)}; it is a positive number of milliseconds, or -1 for no time-out");
                        checkable = false;
                        break;
                }
            }

            if (!checkable)
            {
                continue;
            }

            ImmutableArrayOfConstants arguments = new(attribute.ConstructorArguments);
            switch (ruleKind)
            {
                case RuleKind.Required:
                    rules.Add(new RuleSpec(ruleKind, allowEmpty ? new[] { "allowEmpty" }.ToEquatableArray() : EquatableArray<string>.Empty, message));
                    break;

                case RuleKind.Range:
                    if (RangeBounds(attribute, type, property, ownerName, Report, cancellationToken) is { } bounds)
                    {
                        rules.Add(new RuleSpec(ruleKind, new[] { bounds.Minimum, bounds.Maximum }.ToEquatableArray(), message));
                    }

                    break;

                case RuleKind.MinLength when name == LengthAttribute:
                {
                    int minimum = arguments.Int(0);
                    int maximum = arguments.Int(1);
                    string? wrong = minimum < 0 ? $"its minimum length {minimum} is negative"
                        : maximum < minimum ? $"its maximum length {maximum} is less than its minimum length {minimum}"
                        : null;
                    if (wrong is not null)
                    {
                        Report(DiagnosticDescriptors.RuleCanNeverPass, null, shortName, property.Name, ownerName, wrong);
                        break;
                    }

                    Tighten(ref least, minimum, attribute, higher: true);
                    Tighten(ref most, maximum, attribute, higher: false);
                    rules.Add(new RuleSpec(RuleKind.MinLength, new[] { Number(minimum) }.ToEquatableArray(), message));
                    rules.Add(new RuleSpec(RuleKind.MaxLength, new[] { Number(maximum) }.ToEquatableArray(), message));
                    break;
                }

                case RuleKind.MinLength:
                {
                    int minimum = arguments.Int(0);
                    if (minimum < 0)
                    {
                        Report(DiagnosticDescriptors.RuleCanNeverPass, null, shortName, property.Name, ownerName, $"its length {minimum} is negative; a minimum length is zero or more");
                        break;
                    }

                    Tighten(ref least, minimum, attribute, higher: true);
                    rules.Add(new RuleSpec(ruleKind, new[] { Number(minimum) }.ToEquatableArray(), message));
                    break;
                }

                case RuleKind.MaxLength:
                {
                    int maximum = arguments.Count == 0 ? -1 : arguments.Int(0);
                    if (maximum == 0 || maximum < -1)
                    {
                        Report(DiagnosticDescriptors.RuleCanNeverPass, null, shortName, property.Name, ownerName,
                            $"its length {maximum} is not a maximum length: that is a number greater than zero, or -1 (the default) for no limit");
                        break;
                    }

                    if (maximum > 0)
                    {
                        Tighten(ref most, maximum, attribute, higher: false);
                    }

                    rules.Add(new RuleSpec(ruleKind, arguments.Count == 0 ? EquatableArray<string>.Empty : new[] { Number(maximum) }.ToEquatableArray(), message));
                    break;
                }

                case RuleKind.StringLength:
                {
                    int maximum = arguments.Int(0);
                    string? wrong = maximum < 0 ? $"its maximum length {maximum} is negative"
                        : minimumLength > maximum ? $"its MinimumLength {minimumLength} is greater than its maximum length {maximum}"
                        : null;
                    if (wrong is not null)
                    {
                        Report(DiagnosticDescriptors.RuleCanNeverPass, null, shortName, property.Name, ownerName, wrong);
                        break;
                    }

                    Tighten(ref least, minimumLength, attribute, higher: true);
                    Tighten(ref most, maximum, attribute, higher: false);
                    rules.Add(new RuleSpec(ruleKind, new[] { Number(maximum), Number(minimumLength) }.ToEquatableArray(), message));
                    break;
                }

                case RuleKind.RegularExpression:
                {
                    string? pattern = arguments.Count == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                    string? error = PatternError(pattern, attribute);
                    if (error is not null)
                    {
                        Report(DiagnosticDescriptors.InvalidRegularExpression, ConstructorArgument(attribute, 0, cancellationToken), property.Name, ownerName, error);
                        break;
                    }

                    rules.Add(new RuleSpec(ruleKind, new[] { ObjectParser.Literal(pattern) }.ToEquatableArray(), message));
                    break;
                }

                case RuleKind.EmailAddress:
                    rules.Add(new RuleSpec(ruleKind, EquatableArray<string>.Empty, message));
                    break;
            }
        }

        if (least is { } low && most is { } high && low.Value > high.Value)
        {
            string lowName = low.Attribute.AttributeClass!.Name.Replace("Attribute", string.Empty);
            string highName = high.Attribute.AttributeClass!.Name.Replace("Attribute", string.Empty);
            AttributeData later = Position(low.Attribute, cancellationToken) > Position(high.Attribute, cancellationToken) ? low.Attribute : high.Attribute;
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.RuleCanNeverPass.Id,
                Syntax(later, cancellationToken).ToInfo(),
                later.AttributeClass!.Name.Replace("Attribute", string.Empty),
                property.Name,
                ownerName,
                $"[{lowName}] asks for a length of at least {low.Value}, and [{highName}] allows at most {high.Value}"));
        }

        return rules.ToEquatableArray();
    }

    /// <summary>
    /// The property's attributes and those of the properties it overrides (as DataAnnotations applies them: an
    /// attribute on a base property counts unless the override carries one of its own kind).
    /// </summary>
    internal static IEnumerable<AttributeData> InheritedAttributes(IPropertySymbol property)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        for (IPropertySymbol? p = property; p is not null; p = p.OverriddenProperty)
        {
            var own = new List<AttributeData>();
            foreach (AttributeData attribute in p.GetAttributes())
            {
                string name = attribute.AttributeClass?.ToDisplayString() ?? string.Empty;
                if (!kinds.Contains(name))
                {
                    own.Add(attribute);
                }
            }

            foreach (AttributeData attribute in own)
            {
                kinds.Add(attribute.AttributeClass?.ToDisplayString() ?? string.Empty);
                yield return attribute;
            }
        }
    }

    /// <summary>
    /// The bounds of a [Range] as numbers the emitter writes as literals, kept within the property type's range
    /// (a bound beyond it binds nothing, and compared as written it would not compile); null when they are not
    /// numbers, or no value could lie between them (then reported).
    /// </summary>
    private static (string Minimum, string Maximum)? RangeBounds(
        AttributeData attribute,
        TypeSpec type,
        IPropertySymbol property,
        string ownerName,
        Action<DiagnosticDescriptor, SyntaxNode?, string[]> report,
        CancellationToken cancellationToken)
    {
        TypeSpec inner = type.Kind == ValueKind.Nullable ? type.Element! : type;
        string typeName = inner.TypeName.Replace("global::", string.Empty);
        var values = new double[2];
        var exact = new decimal?[2];
        System.Collections.Immutable.ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        int first = arguments.Length == 3 ? 1 : 0;
        bool whole = false;
        if (arguments.Length == 3)
        {
            var operand = arguments[0].Value as ITypeSymbol;
            ValueKind? operandKind = operand is null ? null : NumberKind(operand);
            whole = operandKind is not (null or ValueKind.Single or ValueKind.Double or ValueKind.Decimal);
            if (operandKind is null)
            {
                report(DiagnosticDescriptors.InvalidRangeBound, ConstructorArgument(attribute, 0, cancellationToken),
                    [$"type {operand?.ToDisplayString() ?? "null"}", property.Name, ownerName, $"a number type; the property is a {typeName}, and Repos checks [Range] on numbers"]);
                return null;
            }
        }

        for (int i = 0; i < 2; i++)
        {
            object? value = arguments[first + i].Value;
            switch (value)
            {
                case int integer:
                    values[i] = integer;
                    exact[i] = integer;
                    break;
                case double real:
                    values[i] = real;
                    exact[i] = real is > -7.9e28 and < 7.9e28 ? (decimal)real : null;
                    break;
                case string text when double.TryParse(text.Trim(), whole ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
                    && !double.IsNaN(parsed) && !double.IsInfinity(parsed):
                    values[i] = parsed;
                    exact[i] = decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) ? d : null;
                    break;
                default:
                    report(DiagnosticDescriptors.InvalidRangeBound, ConstructorArgument(attribute, first + i, cancellationToken),
                        [value is string s ? ObjectParser.Literal(s) : ObjectParser.Literal(value), property.Name, ownerName, whole
                            ? $"a whole number, as {arguments[0].Value} reads it (bounds given as text are read with the invariant culture: an optional sign and digits)"
                            : "a number (bounds given as text are read with the invariant culture: digits, an optional sign, '.' and an exponent)"]);
                    return null;
            }
        }

        if (values[0] > values[1])
        {
            report(DiagnosticDescriptors.RuleCanNeverPass, null,
                ["Range", property.Name, ownerName, $"its minimum {Format(values[0], exact[0])} is greater than its maximum {Format(values[1], exact[1])}"]);
            return null;
        }

        if (TypeLimits(inner.Kind) is { } limits)
        {
            if (values[0] > (double)limits.Max || values[1] < (double)limits.Min)
            {
                report(DiagnosticDescriptors.RuleCanNeverPass, null,
                    ["Range", property.Name, ownerName, $"no {typeName} lies between {Format(values[0], exact[0])} and {Format(values[1], exact[1])}"]);
                return null;
            }

            if (inner.Kind == ValueKind.Decimal && (exact[0] is null || exact[1] is null))
            {
                int wrong = exact[0] is null ? 0 : 1;
                report(DiagnosticDescriptors.InvalidRangeBound, ConstructorArgument(attribute, first + wrong, cancellationToken),
                    [Format(values[wrong], null), property.Name, ownerName, "a decimal: it is outside the range of decimal"]);
                return null;
            }

            // Integral bounds beyond the type bind nothing; kept within it, they compare as the type's own values.
            decimal minimum = Math.Max(exact[0] ?? limits.Min, limits.Min);
            decimal maximum = Math.Min(exact[1] ?? limits.Max, limits.Max);
            if (inner.Kind == ValueKind.Decimal)
            {
                return (Number(exact[0]!.Value), Number(exact[1]!.Value));
            }

            return (Number(values[0] < (double)limits.Min ? limits.Min : exact[0] ?? minimum), Number(values[1] > (double)limits.Max ? limits.Max : exact[1] ?? maximum));
        }

        return (values[0].ToString("R", CultureInfo.InvariantCulture), values[1].ToString("R", CultureInfo.InvariantCulture));
    }

    private static string Format(double value, decimal? exact) =>
        exact is { } d ? Number(d) : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The smallest and largest value of an integral or decimal property type; null for floating point.</summary>
    private static (decimal Min, decimal Max)? TypeLimits(ValueKind kind) => kind switch
    {
        ValueKind.Byte => (byte.MinValue, byte.MaxValue),
        ValueKind.SByte => (sbyte.MinValue, sbyte.MaxValue),
        ValueKind.Int16 => (short.MinValue, short.MaxValue),
        ValueKind.UInt16 => (ushort.MinValue, ushort.MaxValue),
        ValueKind.Int32 => (int.MinValue, int.MaxValue),
        ValueKind.UInt32 => (uint.MinValue, uint.MaxValue),
        ValueKind.Int64 => (long.MinValue, long.MaxValue),
        ValueKind.UInt64 => (ulong.MinValue, ulong.MaxValue),
        ValueKind.Decimal => (decimal.MinValue, decimal.MaxValue),
        _ => null,
    };

    private static ValueKind? NumberKind(ITypeSymbol type) =>
        TypeClassifier.ScalarKind(type.SpecialType) is { } kind && IsNumber(kind) ? kind : null;

    /// <summary>Why the pattern cannot be used, as the runtime would find when it first validates: null when it can.</summary>
    private static string? PatternError(string? pattern, AttributeData attribute)
    {
        if (pattern is null)
        {
            return "it gives no pattern";
        }

        int timeout = attribute.NamedArguments.FirstOrDefault(n => n.Key == "MatchTimeoutInMilliseconds").Value.Value is int t ? t : 2000;
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, timeout == -1 ? Regex.InfiniteMatchTimeout : TimeSpan.FromMilliseconds(timeout));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"the pattern {ObjectParser.Literal(pattern)} is not a valid regular expression: {e.Message}";
        }
    }

    private static void Tighten(ref (int Value, AttributeData Attribute)? bound, int value, AttributeData attribute, bool higher)
    {
        if (bound is not { } current || (higher ? value > current.Value : value < current.Value))
        {
            bound = (value, attribute);
        }
    }

    private static bool DerivesFrom(INamedTypeSymbol? type, string baseName)
    {
        for (INamedTypeSymbol? t = type?.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == baseName)
            {
                return true;
            }
        }

        return false;
    }

    private static SyntaxNode? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);

    private static int Position(AttributeData attribute, CancellationToken cancellationToken) =>
        Syntax(attribute, cancellationToken)?.SpanStart ?? 0;

    /// <summary>The syntax of the attribute's named argument <paramref name="name"/>, or the attribute.</summary>
    private static SyntaxNode? NamedArgument(AttributeData attribute, string name, CancellationToken cancellationToken) =>
        (Syntax(attribute, cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name) ?? Syntax(attribute, cancellationToken);

    /// <summary>The expression of the attribute's <paramref name="index"/>th constructor argument, or the attribute.</summary>
    private static SyntaxNode? ConstructorArgument(AttributeData attribute, int index, CancellationToken cancellationToken)
    {
        if (Syntax(attribute, cancellationToken) is not AttributeSyntax { ArgumentList: { } list } syntax)
        {
            return Syntax(attribute, cancellationToken);
        }

        AttributeArgumentSyntax[] positional = list.Arguments.Where(a => a.NameEquals is null).ToArray();
        if (positional.Any(a => a.NameColon is not null))
        {
            string? parameter = attribute.AttributeConstructor?.Parameters.ElementAtOrDefault(index)?.Name;
            return (SyntaxNode?)positional.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameter)?.Expression ?? syntax;
        }

        return index < positional.Length ? positional[index].Expression : (SyntaxNode)syntax;
    }

    private static string? Applies(RuleKind kind, TypeSpec type)
    {
        TypeSpec inner = type.Kind == ValueKind.Nullable ? type.Element! : type;
        return kind switch
        {
            RuleKind.Required => null,
            RuleKind.Range when IsNumber(inner.Kind) => null,
            RuleKind.Range => ": [Range] applies to numbers",
            RuleKind.MinLength or RuleKind.MaxLength when inner.Kind is ValueKind.String or ValueKind.ByteArray or ValueKind.Array
                or ValueKind.List or ValueKind.ReadOnlyList or ValueKind.HashSet or ValueKind.Dictionary => null,
            RuleKind.MinLength or RuleKind.MaxLength => ": it applies to strings, arrays and collections",
            _ when inner.Kind == ValueKind.String => null,
            _ => ": it applies to strings",
        };
    }

    private static bool IsNumber(ValueKind kind) => kind is ValueKind.Byte or ValueKind.SByte or ValueKind.Int16 or ValueKind.UInt16
        or ValueKind.Int32 or ValueKind.UInt32 or ValueKind.Int64 or ValueKind.UInt64 or ValueKind.Single or ValueKind.Double or ValueKind.Decimal;

    /// <summary>An attribute's constructor arguments, read as the numbers rules take.</summary>
    private readonly struct ImmutableArrayOfConstants(System.Collections.Immutable.ImmutableArray<TypedConstant> values)
    {
        public int Count => values.Length;

        public int Int(int index) => index < values.Length && values[index].Value is int value ? value : 0;
    }
}
