using Repos.Internal;

namespace Repos.Transfer;

/// <summary>How an import writes a value of one stored type: its family, and the types or plans inside it.</summary>
internal sealed class JsonValuePlan
{
    public JsonValuePlan(CatalogType type, JsonValuePlan? element, JsonValuePlan? key, JsonObjectPlan? objectPlan, JsonEnumPlan? enumPlan)
    {
        Kind = type.Kind;
        DisplayName = type.DisplayName;
        Element = element;
        Key = key;
        Object = objectPlan;
        Enum = enumPlan;
    }

    /// <summary>The family; <see cref="CatalogTypeKind.Named"/> is an object when <see cref="Object"/> is set, an enum when <see cref="Enum"/> is.</summary>
    public CatalogTypeKind Kind { get; }

    /// <summary>The type as messages show it (<c>List&lt;Tag&gt;</c>).</summary>
    public string DisplayName { get; }

    /// <summary>The element, value or underlying type.</summary>
    public JsonValuePlan? Element { get; }

    /// <summary>A dictionary's key type.</summary>
    public JsonValuePlan? Key { get; }

    /// <summary>The plan of a nested object type.</summary>
    public JsonObjectPlan? Object { get; }

    /// <summary>The plan of an enum type.</summary>
    public JsonEnumPlan? Enum { get; }

    /// <summary>Whether values are references, which are stored as nil when null (value types are not, unless nullable).</summary>
    public bool IsReference => Kind is CatalogTypeKind.String or CatalogTypeKind.Bytes or CatalogTypeKind.List or CatalogTypeKind.Set
        or CatalogTypeKind.Dictionary || Object is not null;
}
