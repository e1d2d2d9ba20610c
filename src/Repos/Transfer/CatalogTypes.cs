using Repos.Internal;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>
/// The stored types of a file as its catalog describes them (docs/transfer.md, <i>One converter, driven by the
/// catalog</i>): each type's fields by id, with their names and types, retired ones included, and the member names
/// of its enums (recorded in the catalog, docs/format.md; the model's fill in for a file no writable open of this
/// version recorded them in). Enough to turn any row's payload into JSON without the app's types.
/// </summary>
internal sealed class CatalogTypes
{
    private readonly Dictionary<string, Dictionary<long, CatalogTypeField>> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<long, string>> _enums = new(StringComparer.Ordinal);

    /// <summary>Reads the catalog's fields from <paramref name="connection"/>; <paramref name="enums"/>, the model's, name the members of enums the catalog does not record.</summary>
    public static CatalogTypes Load(SqliteConnection connection, IEnumerable<EnumShape> enums)
    {
        var types = new CatalogTypes();
        foreach (Recovery.CatalogField field in Catalog.LoadAllFields(connection))
        {
            if (!types._types.TryGetValue(field.Type, out Dictionary<long, CatalogTypeField>? fields))
            {
                types._types[field.Type] = fields = [];
            }

            // A value kept from sync is stored as it travelled (docs/sync.md): it has no catalog type to read it by.
            CatalogType? type = field.ClrType == Catalog.WireEncodedType ? null : CatalogType.Parse(field.ClrType);
            fields[field.Id] = new CatalogTypeField(field.Name, type);
        }

        foreach ((string name, SortedDictionary<long, string> members) in Catalog.LoadEnums(connection))
        {
            types._enums[name] = new Dictionary<long, string>(members);
        }

        foreach (EnumShape shape in enums)
        {
            if (types._enums.ContainsKey(shape.Name))
            {
                continue;
            }

            var names = new Dictionary<long, string>();
            for (int i = 0; i < shape.Names.Count; i++)
            {
                names.TryAdd(shape.Values[i], shape.Names[i]);
            }

            types._enums[shape.Name] = names;
        }

        return types;
    }

    /// <summary>The fields of the stored type <paramref name="typeName"/> by id, or null when the catalog has no such type.</summary>
    public IReadOnlyDictionary<long, CatalogTypeField>? FieldsOf(string typeName) => _types.GetValueOrDefault(typeName);

    /// <summary>The member of enum <paramref name="typeName"/> whose value is <paramref name="value"/>, or null.</summary>
    public string? EnumName(string typeName, long value) =>
        _enums.TryGetValue(typeName, out Dictionary<long, string>? names) ? names.GetValueOrDefault(value) : null;
}

/// <summary>A field as the catalog has it: its name, and its type (null for a value kept from sync as it travelled).</summary>
internal sealed record CatalogTypeField(string Name, CatalogType? Type);
