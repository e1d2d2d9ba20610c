namespace Repos.Serialization;

/// <summary>A whole MessagePack extension value: its type code and its data bytes.</summary>
/// <remarks>
/// <see cref="Data"/> points into the reader's input (or, when the value straddles segments of a
/// multi-segment <see cref="System.Buffers.ReadOnlySequence{T}"/>, into a copy); it is valid as long as the input is.
/// </remarks>
public readonly ref struct ExtensionResult
{
    /// <summary>Creates the result.</summary>
    /// <param name="typeCode">The extension type code.</param>
    /// <param name="data">The data bytes.</param>
    public ExtensionResult(sbyte typeCode, ReadOnlySpan<byte> data)
    {
        TypeCode = typeCode;
        Data = data;
    }

    /// <summary>The extension type code.</summary>
    public sbyte TypeCode { get; }

    /// <summary>The data bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The header that describes this value.</summary>
    public ExtensionHeader Header => new(TypeCode, (uint)Data.Length);
}
