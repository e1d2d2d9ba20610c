namespace Repos.Serialization;

/// <summary>The header of a MessagePack extension value: its application type code and data length.</summary>
/// <param name="TypeCode">The extension type: 0..127 for applications, -128..-1 reserved by the specification (-1 is the timestamp).</param>
/// <param name="Length">The number of data bytes that follow the header.</param>
public readonly record struct ExtensionHeader(sbyte TypeCode, uint Length);
