namespace Repos.Generators.Model;

/// <summary>How a stored value is encoded: one kind per supported .NET type family.</summary>
internal enum ValueKind
{
    Boolean,
    Byte,
    SByte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    Char,
    String,
    Guid,
    DateTime,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    TimeSpan,
    ByteArray,
    Enum,
    Nullable,
    Array,
    List,
    ReadOnlyList,
    HashSet,
    Dictionary,
    Object,
}

/// <summary>
/// A supported property type: its kind, its <c>global::</c>-qualified name as written in emitted code,
/// and for wrappers and collections the types inside.
/// </summary>
/// <param name="Kind">The encoding family.</param>
/// <param name="TypeName">The type as emitted code writes it, with <c>?</c> when it is a nullable reference.</param>
/// <param name="IsNullableReference">Whether null is a legal value of this (reference) type.</param>
/// <param name="Element">The element (collections), the underlying type (nullable value types, enums), or the value type (dictionaries).</param>
/// <param name="Key">The key type of a dictionary.</param>
/// <param name="ObjectName">For nested objects, the full name without <c>global::</c>.</param>
/// <param name="Enum">For enums, their members.</param>
internal sealed record TypeSpec(
    ValueKind Kind,
    string TypeName,
    bool IsNullableReference,
    TypeSpec? Element = null,
    TypeSpec? Key = null,
    string? ObjectName = null,
    EnumSpec? Enum = null)
{
    /// <summary>The type name without a trailing nullable-reference <c>?</c>.</summary>
    public string NonNullableName => IsNullableReference && TypeName.EndsWith("?") ? TypeName.Substring(0, TypeName.Length - 1) : TypeName;
}
