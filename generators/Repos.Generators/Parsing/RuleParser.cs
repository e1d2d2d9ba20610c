using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Repos.Generators.Diagnostics;
using Repos.Generators.Model;

namespace Repos.Generators.Parsing;

/// <summary>Reads a property's DataAnnotations validation attributes into rules the emitter writes as code.</summary>
internal static class RuleParser
{
    public static EquatableArray<RuleSpec> Parse(
        IPropertySymbol property,
        TypeSpec type,
        string ownerName,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var rules = new List<RuleSpec>();
        foreach (AttributeData attribute in property.GetAttributes())
        {
            string? name = attribute.AttributeClass?.ToDisplayString();
            RuleKind? kind = name switch
            {
                KnownTypes.RequiredAttribute => RuleKind.Required,
                KnownTypes.RangeAttribute => RuleKind.Range,
                KnownTypes.MinLengthAttribute => RuleKind.MinLength,
                KnownTypes.MaxLengthAttribute => RuleKind.MaxLength,
                KnownTypes.StringLengthAttribute => RuleKind.StringLength,
                KnownTypes.RegularExpressionAttribute => RuleKind.RegularExpression,
                KnownTypes.EmailAddressAttribute => RuleKind.EmailAddress,
                _ => null,
            };
            if (kind is not { } ruleKind)
            {
                continue;
            }

            string? problem = Applies(ruleKind, type);
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.RuleDoesNotApply.Id,
                    attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).ToInfo(),
                    attribute.AttributeClass!.Name.Replace("Attribute", string.Empty),
                    property.Name,
                    ownerName,
                    property.Type.ToDisplayString(),
                    problem));
                continue;
            }

            var arguments = new List<string>();
            foreach (TypedConstant argument in attribute.ConstructorArguments)
            {
                arguments.Add(argument.Kind == TypedConstantKind.Type
                    ? TypeClassifier.Display((ITypeSymbol)argument.Value!)
                    : ObjectParser.Literal(argument.Value));
            }

            if (ruleKind == RuleKind.Range && arguments.Count == 3)
            {
                // Range(typeof(T), "min", "max"): only numeric types are turned into code.
                arguments.RemoveAt(0);
                arguments = arguments.Select(a => a.Trim('"')).ToList();
            }

            string? message = null;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                switch (named.Key)
                {
                    case "ErrorMessage":
                        message = named.Value.Value as string;
                        break;
                    case "MinimumLength" when ruleKind == RuleKind.StringLength:
                        arguments.Add(ObjectParser.Literal(named.Value.Value));
                        break;
                    case "AllowEmptyStrings" when ruleKind == RuleKind.Required && named.Value.Value is true:
                        arguments.Add("allowEmpty");
                        break;
                }
            }

            if (ruleKind == RuleKind.StringLength && arguments.Count == 1)
            {
                arguments.Add("0");
            }

            rules.Add(new RuleSpec(ruleKind, arguments.ToEquatableArray(), message));
        }

        return rules.ToEquatableArray();
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
}
