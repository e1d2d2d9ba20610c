using Repos.Internal;

namespace Repos.Tests.Transfer;

/// <summary>The catalog's type names, as the generator writes them, parsed back into what an import converts.</summary>
public sealed class CatalogTypeTests
{
    [Theory]
    [InlineData("int", "Int32", "int")]
    [InlineData("System.DateTimeOffset?", "Nullable", "DateTimeOffset?")]
    [InlineData("byte[]", "Bytes", "byte[]")]
    [InlineData("byte?[]", "List", "byte?[]")]
    [InlineData("int[][]", "List", "int[][]")]
    [InlineData("Shop.Color?", "Nullable", "Color?")]
    [InlineData("Shop.Outer.Inner", "Named", "Inner")]
    [InlineData("System.Collections.Generic.IReadOnlyList<int?>", "List", "IReadOnlyList<int?>")]
    [InlineData("System.Collections.Generic.ISet<Shop.Color>", "Set", "ISet<Color>")]
    [InlineData("System.Collections.Generic.Dictionary<int, System.Collections.Generic.List<string>>", "Dictionary", "Dictionary<int, List<string>>")]
    [InlineData("System.Collections.Generic.List<int[]>", "List", "List<int[]>")]
    public void Parse_GivesTheKindAndAReadableName(string catalogName, string kind, string display)
    {
        CatalogType type = CatalogType.Parse(catalogName);

        Assert.Equal(kind, type.Kind.ToString());
        Assert.Equal(display, type.DisplayName);
    }

    [Fact]
    public void Parse_KeepsTheTypesInside()
    {
        CatalogType type = CatalogType.Parse("System.Collections.Generic.IReadOnlyDictionary<System.Guid, Shop.Point>");

        Assert.Equal(CatalogTypeKind.Guid, type.Key!.Kind);
        Assert.Equal(CatalogTypeKind.Named, type.Element!.Kind);
        Assert.Equal("Shop.Point", type.Element.Name);
        Assert.Equal(CatalogTypeKind.Nullable, CatalogType.Parse("int?[]").Element!.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("System.Collections.Generic.List<int")]
    [InlineData("System.Collections.Generic.Dictionary<int>")]
    [InlineData("System.Tuple<int, int>")]
    [InlineData("int[")]
    [InlineData("int>")]
    public void Parse_RefusesNamesTheGeneratorDoesNotWrite(string catalogName)
    {
        Assert.Throws<FormatException>(() => CatalogType.Parse(catalogName));
    }
}
