using System.Reflection;

namespace Repos.Generators.Tests;

/// <summary>
/// The model is what the incremental pipeline compares between runs: a Roslyn object in it (a symbol, a
/// syntax node, a location, a compilation) would never compare equal and would keep old compilations alive.
/// </summary>
public sealed class ModelShapeTests
{
    private const string ModelNamespace = "Repos.Generators.Model";

    [Fact]
    public void ModelTypes_HoldNoRoslynTypes()
    {
        Type[] model = typeof(ReposGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == ModelNamespace)
            .ToArray();
        Assert.Contains(model, t => t.Name == "EntitySpec");
        Assert.Contains(model, t => t.Name == "LocationInfo");

        var problems = new List<string>();
        foreach (Type type in model)
        {
            const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            IEnumerable<(string Member, Type Type)> members = type.GetFields(all).Select(f => (f.Name, f.FieldType))
                .Concat(type.GetProperties(all).Select(p => (p.Name, p.PropertyType)))
                .Concat(type.GetConstructors(all).SelectMany(c => c.GetParameters()).Select(p => (p.Name ?? "?", p.ParameterType)));
            foreach ((string member, Type memberType) in members)
            {
                Type? roslyn = RoslynTypeIn(memberType);
                if (roslyn is not null)
                {
                    problems.Add($"{type.Name}.{member} uses {roslyn.FullName}");
                }
            }
        }

        Assert.True(problems.Count == 0, "Roslyn types in the model:\n" + string.Join("\n", problems.Distinct()));
    }

    /// <summary>The first Roslyn type in <paramref name="type"/>, its element type or its type arguments.</summary>
    private static Type? RoslynTypeIn(Type type)
    {
        if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true)
        {
            return type;
        }

        if (type.HasElementType && RoslynTypeIn(type.GetElementType()!) is { } element)
        {
            return element;
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? type.GetGenericArguments().Select(RoslynTypeIn).FirstOrDefault(t => t is not null)
            : null;
    }
}
