using Repos.Internal;

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
    {
        _entityName = definition.Name;
        foreach (EnumShape shape in definition.Enums)
        {
            _enums[shape.Name] = new JsonEnumPlan(shape, options.ExactValues);
        }

        var shapes = new List<TypeShape> { definition.Shape };
        shapes.AddRange(definition.NestedShapes);
        foreach (TypeShape shape in shapes)
        {
            _objects[shape.Name] = new JsonObjectPlan(shape, context.GetFieldMap(shape).Ids);
        }

        if (root is not null)
        {
            _objects[root.Name] = new JsonObjectPlan(root, rootIds!);
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

        Root = _objects[(root ?? definition.Shape).Name];
        KeyOrdinal = Root.OrdinalOf(definition.KeyProperty);
        AssignsKeys = definition.KeyGeneration != KeyGeneration.None;
        MapNames(options.PropertyNames);
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
