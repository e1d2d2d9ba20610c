using Repos.Internal;
using Repos.Recovery;
using Repos.Storage;

namespace Repos.Transfer;

/// <summary>
/// What an import of one entity needs to know, worked out once from the entity's definition and the file's
/// field ids: a plan per stored type and per enum, and which property is the key.
/// </summary>
internal sealed class JsonImportPlan
{
    private readonly Dictionary<string, JsonObjectPlan> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonEnumPlan> _enums = new(StringComparer.Ordinal);
    private readonly string _entityName;

    /// <exception cref="ArgumentException"><see cref="JsonImportOptions.PropertyNames"/> names a property the entity does not have.</exception>
    /// <param name="definition">The entity.</param>
    /// <param name="context">The file's field ids.</param>
    /// <param name="options">The import's options.</param>
    /// <param name="root">
    /// The entity's own fields as an older version had them (a bundle's catalog's), to convert rows of that version,
    /// with <paramref name="rootIds"/> for their ids; null for the model's.
    /// </param>
    /// <param name="rootIds">The ids of <paramref name="root"/>'s fields.</param>
    public JsonImportPlan(EntityDefinition definition, SerializationContext context, JsonImportOptions options, TypeShape? root = null, int[]? rootIds = null)
        : this(
            definition.Name,
            definition.KeyProperty,
            definition.KeyGeneration != KeyGeneration.None,
            definition.Enums.Select(shape => new JsonEnumPlan(shape, options.ExactValues)),
            ModelObjects(definition, context, root, rootIds),
            (root ?? definition.Shape).Name,
            options.PropertyNames)
    {
    }

    private JsonImportPlan(
        string entityName,
        string keyProperty,
        bool assignsKeys,
        IEnumerable<JsonEnumPlan> enums,
        IEnumerable<JsonObjectPlan> objects,
        string rootName,
        IReadOnlyDictionary<string, string>? names)
    {
        _entityName = entityName;
        foreach (JsonEnumPlan plan in enums)
        {
            _enums[plan.Shape.Name] = plan;
        }

        // A later plan of a name replaces an earlier one: an older version's root replaces the model's.
        foreach (JsonObjectPlan plan in objects)
        {
            _objects[plan.Shape.Name] = plan;
        }

        foreach (JsonObjectPlan plan in _objects.Values)
        {
            for (int ordinal = 0; ordinal < plan.Shape.Fields.Count; ordinal++)
            {
                FieldDefinition field = plan.Shape.Fields[ordinal];
                CatalogType type = CatalogType.Parse(field.TypeName);
                bool allowsNull = type.Kind == CatalogTypeKind.Nullable || field.IsNullableReference;
                plan.SetField(ordinal, new JsonFieldPlan(field.Name, Build(type), field.IsRequired, allowsNull));
            }
        }

        Root = _objects[rootName];
        KeyOrdinal = Root.OrdinalOf(keyProperty);
        AssignsKeys = assignsKeys;
        MapNames(names);
    }

    /// <summary>
    /// The plan of an entity as a file's catalog describes it, for an import without the app's types: every stored
    /// type by its fields (one per name, the one in use before a retired one; a value kept from sync, which has no
    /// type, is left out), every enum by its recorded members and underlying type (one the catalog does not record takes numbers only, as a long),
    /// any reference value may be null, none is required, and the key must be given.
    /// </summary>
    public static JsonImportPlan ForCatalog(BundleEntity entity, BundleCatalog catalog, JsonImportOptions options)
    {
        var objects = new List<JsonObjectPlan>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string typeName, List<CatalogField> fields) in catalog.Types)
        {
            var shapeFields = new List<FieldDefinition>();
            var ids = new List<int>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (CatalogField field in fields.OrderBy(f => f.Retired))
            {
                if (field.ClrType != Catalog.WireEncodedType && names.Add(field.Name))
                {
                    shapeFields.Add(new FieldDefinition(field.Name, field.ClrType) { IsNullableReference = true });
                    ids.Add((int)field.Id);
                    CollectNamed(CatalogType.Parse(field.ClrType), named);
                }
            }

            objects.Add(new JsonObjectPlan(new TypeShape(typeName, [.. shapeFields]), [.. ids]));
        }

        var enums = new List<JsonEnumPlan>();
        foreach (string name in named.Where(n => !catalog.Types.ContainsKey(n)))
        {
            SortedDictionary<long, string> members = catalog.Enums.GetValueOrDefault(name) ?? [];
            (string underlying, bool flags) = catalog.EnumTypes.GetValueOrDefault(name, ("long", false));
            var shape = new EnumShape(name, underlying, flags, [.. members.Values], [.. members.Keys]);
            enums.Add(new JsonEnumPlan(shape, anyValue: true));
        }

        if (!catalog.Types.ContainsKey(entity.Type))
        {
            objects.Add(new JsonObjectPlan(new TypeShape(entity.Type), []));
        }

        return new JsonImportPlan(entity.Name, entity.KeyProperty, assignsKeys: false, enums, objects, entity.Type, options.PropertyNames);
    }

    private static void CollectNamed(CatalogType type, HashSet<string> named)
    {
        if (type.Kind == CatalogTypeKind.Named)
        {
            named.Add(type.Name!);
        }

        if (type.Element is not null)
        {
            CollectNamed(type.Element, named);
        }

        if (type.Key is not null)
        {
            CollectNamed(type.Key, named);
        }
    }

    private static IEnumerable<JsonObjectPlan> ModelObjects(EntityDefinition definition, SerializationContext context, TypeShape? root, int[]? rootIds)
    {
        yield return new JsonObjectPlan(definition.Shape, context.GetFieldMap(definition.Shape).Ids);
        foreach (TypeShape shape in definition.NestedShapes)
        {
            yield return new JsonObjectPlan(shape, context.GetFieldMap(shape).Ids);
        }

        if (root is not null)
        {
            yield return new JsonObjectPlan(root, rootIds!);
        }
    }

    /// <summary>Whether Repos assigns the entity's keys, so a document may leave its key out.</summary>
    public bool AssignsKeys { get; }

    /// <summary>The entity's own plan.</summary>
    public JsonObjectPlan Root { get; }

    /// <summary>The ordinal of the key property in <see cref="Root"/>.</summary>
    public int KeyOrdinal { get; }

    private JsonValuePlan Build(CatalogType type)
    {
        JsonValuePlan? element = type.Element is null ? null : Build(type.Element);
        JsonValuePlan? key = type.Key is null ? null : Build(type.Key);
        JsonObjectPlan? objectPlan = null;
        JsonEnumPlan? enumPlan = null;
        if (type.Kind == CatalogTypeKind.Named && !_objects.TryGetValue(type.Name!, out objectPlan) && !_enums.TryGetValue(type.Name!, out enumPlan))
        {
            throw new InvalidOperationException(
                $"{_entityName} stores a {type.Name} that its generated definition does not describe; build the app again with this version of Repos.");
        }

        return new JsonValuePlan(type, element, key, objectPlan, enumPlan);
    }

    private void MapNames(IReadOnlyDictionary<string, string>? names)
    {
        if (names is null)
        {
            return;
        }

        foreach ((string jsonName, string propertyName) in names)
        {
            bool found = false;
            foreach (JsonObjectPlan plan in _objects.Values)
            {
                int ordinal = plan.OrdinalOf(propertyName);
                if (ordinal >= 0)
                {
                    plan.MapName(jsonName, ordinal);
                    found = true;
                }
            }

            if (!found)
            {
                throw new ArgumentException(
                    $"PropertyNames maps '{jsonName}' to '{propertyName}', which is not a property of {_entityName} or of a type stored inside it.",
                    nameof(names));
            }
        }
    }
}
