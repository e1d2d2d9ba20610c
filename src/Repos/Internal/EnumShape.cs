using System.ComponentModel;

namespace Repos.Internal;

/// <summary>
/// An enum stored inside an entity: its members' names and values, so the runtime can read a value by
/// name (an import from JSON, for one) without reflection. The generator writes one per enum an entity uses.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EnumShape
{
    /// <summary>Describes an enum.</summary>
    /// <param name="name">Its full name as catalog type names write it (no <c>global::</c>).</param>
    /// <param name="underlyingType">Its underlying integer type as a C# keyword (<c>int</c>, <c>byte</c>...).</param>
    /// <param name="isFlags">Whether it carries <see cref="FlagsAttribute"/>.</param>
    /// <param name="names">Its member names, in declaration order.</param>
    /// <param name="values">Each member's value; an unsigned value above <see cref="long.MaxValue"/> is stored wrapped.</param>
    public EnumShape(string name, string underlyingType, bool isFlags, string[] names, long[] values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(underlyingType);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Length != values.Length)
        {
            throw new ArgumentException("An enum needs one value per member name.", nameof(values));
        }

        Name = name;
        UnderlyingType = underlyingType;
        IsFlags = isFlags;
        Names = names;
        Values = values;
    }

    /// <summary>The enum's full name, as catalog type names write it.</summary>
    public string Name { get; }

    /// <summary>The underlying integer type as a C# keyword.</summary>
    public string UnderlyingType { get; }

    /// <summary>Whether the enum carries <see cref="FlagsAttribute"/>: a value may combine members.</summary>
    public bool IsFlags { get; }

    /// <summary>The member names, in declaration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The member values, in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<long> Values { get; }
}
