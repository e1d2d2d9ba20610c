using Repos.Internal;

namespace Repos.Transfer;

/// <summary>How an import writes one stored type: its fields, their ids in the file, and which JSON names match them.</summary>
internal sealed class JsonObjectPlan
{
    private readonly JsonNames<int> _names = new();

    public JsonObjectPlan(TypeShape shape, int[] ids)
    {
        Shape = shape;
        Ids = ids;
        DisplayName = shape.Name[(shape.Name.LastIndexOf('.') + 1)..];
        Fields = new JsonFieldPlan[shape.Fields.Count];
    }

    public TypeShape Shape { get; }

    /// <summary>The type's name without its namespace, for messages.</summary>
    public string DisplayName { get; }

    /// <summary>The field id of each property in the file, by ordinal.</summary>
    public int[] Ids { get; }

    /// <summary>The properties, by ordinal (filled once every plan exists, as types can contain themselves).</summary>
    public JsonFieldPlan[] Fields { get; }

    /// <summary>Sets a property's plan and the names that match it.</summary>
    public void SetField(int ordinal, JsonFieldPlan field)
    {
        Fields[ordinal] = field;
        _names.Add(field.Name, ordinal);
    }

    /// <summary>Makes a JSON name match a property before any other rule (<see cref="JsonImportOptions.PropertyNames"/>).</summary>
    public void MapName(string jsonName, int ordinal) => _names.AddExact(jsonName, ordinal);

    /// <summary>The ordinal of the property named <paramref name="propertyName"/>, or -1.</summary>
    public int OrdinalOf(string propertyName)
    {
        for (int i = 0; i < Fields.Length; i++)
        {
            if (Fields[i].Name == propertyName)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The ordinal of the property a JSON name matches, or -1.</summary>
    public int Find(string jsonName) => _names.TryFind(jsonName, out int ordinal) ? ordinal : -1;
}
