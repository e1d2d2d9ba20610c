using System.Text.Json;
using Repos.Internal;
using Repos.Recovery;
using Repos.Storage;
using Repos.Storage.Sqlite;

namespace Repos.Transfer;

/// <summary>
/// The catalog a bundle carries (docs/transfer.md, <i>The bundle</i>): the file's entities with their keys, versions
/// and indexes, every stored type's fields, and the enums' members. The importer checks a bundle's rows against it,
/// and it against the file it imports into.
/// </summary>
internal sealed class BundleCatalog
{
    public int DatabaseVersion { get; init; } = 1;

    public List<BundleEntity> Entities { get; } = [];

    /// <summary>Each stored type's fields, retired ones included, by type name.</summary>
    public Dictionary<string, List<CatalogField>> Types { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SortedDictionary<long, string>> Enums { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Each enum's underlying type and whether it is <c>[Flags]</c>, as the file records them (not carried in a bundle).</summary>
    public Dictionary<string, (string Underlying, bool Flags)> EnumTypes { get; init; } = new(StringComparer.Ordinal);

    public BundleEntity? Entity(string name)
    {
        foreach (BundleEntity entity in Entities)
        {
            if (entity.Name == name)
            {
                return entity;
            }
        }

        return null;
    }

    /// <summary>Reads the catalog of the file <paramref name="connection"/> is open on.</summary>
    public static BundleCatalog Load(SqliteConnection connection)
    {
        var catalog = new BundleCatalog { DatabaseVersion = Catalog.ReadDatabaseVersion(connection), Enums = Catalog.LoadEnums(connection), EnumTypes = Catalog.LoadEnumTypes(connection) };
        using (SqliteStatement select = connection.PrepareOnce("SELECT entity, table_name, type, key_property, key_kind, version FROM _repos_entities ORDER BY entity"))
        {
            while (select.Step())
            {
                string name = select.ColumnText(0);
                catalog.Entities.Add(new BundleEntity(
                    name,
                    select.ColumnText(1),
                    select.ColumnText(2),
                    select.ColumnText(3),
                    Enum.Parse<ColumnKind>(select.ColumnText(4)),
                    (int)select.ColumnInt64(5),
                    Catalog.ReadKeyGeneration(connection, name),
                    []));
            }
        }

        using (SqliteStatement select = connection.PrepareOnce("SELECT entity, name, columns, is_unique FROM _repos_indexes ORDER BY entity, name"))
        {
            while (select.Step())
            {
                catalog.Entity(select.ColumnText(0))?.Indexes.Add(new BundleIndex(select.ColumnText(1), select.ColumnText(2), select.ColumnInt64(3) != 0));
            }
        }

        foreach (CatalogField field in Catalog.LoadAllFields(connection))
        {
            if (!catalog.Types.TryGetValue(field.Type, out List<CatalogField>? fields))
            {
                catalog.Types[field.Type] = fields = [];
            }

            fields.Add(field);
        }

        return catalog;
    }

    /// <summary>Writes the catalog as the bundle's <c>catalog</c> object.</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("databaseVersion", DatabaseVersion);
        json.WriteStartArray("entities");
        foreach (BundleEntity entity in Entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Name);
            json.WriteString("table", entity.Table);
            json.WriteString("type", entity.Type);
            json.WriteString("key", entity.KeyProperty);
            json.WriteString("keyKind", entity.KeyKind.ToString());
            json.WriteNumber("version", entity.Version);
            if (entity.KeyGeneration != KeyGeneration.None)
            {
                json.WriteString("keyGeneration", entity.KeyGeneration.ToString());
            }

            json.WriteStartArray("indexes");
            foreach (BundleIndex index in entity.Indexes)
            {
                json.WriteStartObject();
                json.WriteString("name", index.Name);
                json.WriteString("columns", index.Columns);
                json.WriteBoolean("unique", index.Unique);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("types");
        foreach ((string name, List<CatalogField> fields) in Types.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteStartArray("fields");
            foreach (CatalogField field in fields)
            {
                json.WriteStartObject();
                json.WriteNumber("id", field.Id);
                json.WriteString("name", field.Name);
                json.WriteString("type", field.ClrType);
                json.WriteBoolean("retired", field.Retired);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("enums");
        foreach ((string name, SortedDictionary<long, string> members) in Enums.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteStartObject("members");
            foreach ((long value, string member) in members)
            {
                json.WriteNumber(member, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads a bundle's <c>catalog</c> object.</summary>
    /// <exception cref="BundleFormatException">It is not a catalog as <see cref="Write"/> writes one.</exception>
    public static BundleCatalog Read(JsonElement element)
    {
        const string At = "$.catalog";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new BundleFormatException(At, "the catalog is not a JSON object");
        }

        var catalog = new BundleCatalog { DatabaseVersion = Integer(element, "databaseVersion", At, 1, int.MaxValue) };
        int i = 0;
        foreach (JsonElement entity in Array(element, "entities", At))
        {
            string at = $"{At}.entities[{i++}]";
            var read = new BundleEntity(
                Text(entity, "name", at),
                Text(entity, "table", at),
                Text(entity, "type", at),
                Text(entity, "key", at),
                Enum.TryParse(Text(entity, "keyKind", at), out ColumnKind kind) && kind != ColumnKind.Null ? kind
                    : throw new BundleFormatException(at + ".keyKind", "the key kind is not Integer, Real, Text or Blob"),
                Integer(entity, "version", at, 1, int.MaxValue),
                entity.TryGetProperty("keyGeneration", out JsonElement generation)
                    ? Enum.TryParse(generation.ValueKind == JsonValueKind.String ? generation.GetString() : null, out KeyGeneration value) ? value
                        : throw new BundleFormatException(at + ".keyGeneration", "the key generation is not Sequence or GuidVersion7")
                    : KeyGeneration.None,
                []);
            if (catalog.Entity(read.Name) is not null)
            {
                throw new BundleFormatException(at, $"the catalog lists the entity {read.Name} twice");
            }

            int j = 0;
            foreach (JsonElement index in Array(entity, "indexes", at))
            {
                string indexAt = $"{at}.indexes[{j++}]";
                read.Indexes.Add(new BundleIndex(Text(index, "name", indexAt), Text(index, "columns", indexAt), Boolean(index, "unique", indexAt)));
            }

            catalog.Entities.Add(read);
        }

        i = 0;
        foreach (JsonElement type in Array(element, "types", At))
        {
            string at = $"{At}.types[{i++}]";
            string name = Text(type, "name", at);
            var fields = new List<CatalogField>();
            int j = 0;
            foreach (JsonElement field in Array(type, "fields", at))
            {
                string fieldAt = $"{at}.fields[{j++}]";
                var read = new CatalogField(name, Integer(field, "id", fieldAt, 1, int.MaxValue), Text(field, "name", fieldAt), Text(field, "type", fieldAt), Boolean(field, "retired", fieldAt));
                if (read.ClrType != Catalog.WireEncodedType && !Parses(read.ClrType))
                {
                    throw new BundleFormatException(fieldAt + ".type", $"{read.ClrType} is not a type Repos stores");
                }

                if (fields.Exists(f => f.Id == read.Id))
                {
                    throw new BundleFormatException(fieldAt, $"field id {read.Id} of {name} is listed twice");
                }

                fields.Add(read);
            }

            if (!catalog.Types.TryAdd(name, fields))
            {
                throw new BundleFormatException(at, $"the catalog lists the type {name} twice");
            }
        }

        if (element.TryGetProperty("enums", out _))
        {
            i = 0;
            foreach (JsonElement shape in Array(element, "enums", At))
            {
                string at = $"{At}.enums[{i++}]";
                var members = new SortedDictionary<long, string>();
                if (!shape.TryGetProperty("members", out JsonElement list) || list.ValueKind != JsonValueKind.Object)
                {
                    throw new BundleFormatException(at + ".members", "the members are not a JSON object");
                }

                foreach (JsonProperty member in list.EnumerateObject())
                {
                    if (!member.Value.TryGetInt64(out long value))
                    {
                        throw new BundleFormatException($"{at}.members.{member.Name}", "the member's value is not an integer");
                    }

                    members.TryAdd(value, member.Name);
                }

                catalog.Enums[Text(shape, "name", at)] = members;
            }
        }

        foreach (BundleEntity entity in catalog.Entities)
        {
            if (!catalog.Types.ContainsKey(entity.Type))
            {
                throw new BundleFormatException(At, $"the catalog lists no fields for {entity.Name}'s type {entity.Type}");
            }
        }

        return catalog;
    }

    private static bool Parses(string typeName)
    {
        try
        {
            CatalogType.Parse(typeName);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string name, string at) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new BundleFormatException($"{at}.{name}", "it is missing or not a JSON array");

    private static string Text(JsonElement element, string name, string at) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new BundleFormatException($"{at}.{name}", "it is missing or not a non-empty string");

    private static int Integer(JsonElement element, string name, string at, int min, int max) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.TryGetInt32(out int number) && number >= min && number <= max
            ? number
            : throw new BundleFormatException($"{at}.{name}", $"it is missing or not an integer from {min} to {max}");

    private static bool Boolean(JsonElement element, string name, string at) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new BundleFormatException($"{at}.{name}", "it is missing or not true or false");
}

/// <summary>An entity as a bundle's catalog lists it.</summary>
internal sealed record BundleEntity(
    string Name, string Table, string Type, string KeyProperty, ColumnKind KeyKind, int Version, KeyGeneration KeyGeneration, List<BundleIndex> Indexes);

/// <summary>An index as a bundle's catalog lists it: its columns as <c>_repos_indexes</c> records them.</summary>
internal sealed record BundleIndex(string Name, string Columns, bool Unique);
