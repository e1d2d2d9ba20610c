namespace Repos.Serialization;

/// <summary>
/// The format bytes of the MessagePack specification: the first byte of every encoded value, which
/// names its type and, for the "fix" families, carries its value or length.
/// </summary>
/// <remarks>See https://github.com/msgpack/msgpack/blob/master/spec.md for the format.</remarks>
public static class MessagePackCode
{
    /// <summary>The smallest positive fixint (0x00, the value 0).</summary>
    public const byte MinFixInt = 0x00;

    /// <summary>The largest positive fixint (0x7f, the value 127).</summary>
    public const byte MaxFixInt = 0x7f;

    /// <summary>The smallest fixmap code (0x80, a map of 0 entries).</summary>
    public const byte MinFixMap = 0x80;

    /// <summary>The largest fixmap code (0x8f, a map of 15 entries).</summary>
    public const byte MaxFixMap = 0x8f;

    /// <summary>The smallest fixarray code (0x90, an array of 0 elements).</summary>
    public const byte MinFixArray = 0x90;

    /// <summary>The largest fixarray code (0x9f, an array of 15 elements).</summary>
    public const byte MaxFixArray = 0x9f;

    /// <summary>The smallest fixstr code (0xa0, a string of 0 bytes).</summary>
    public const byte MinFixStr = 0xa0;

    /// <summary>The largest fixstr code (0xbf, a string of 31 bytes).</summary>
    public const byte MaxFixStr = 0xbf;

    /// <summary>nil.</summary>
    public const byte Nil = 0xc0;

    /// <summary>The one code the specification never uses (0xc1).</summary>
    public const byte NeverUsed = 0xc1;

    /// <summary>false.</summary>
    public const byte False = 0xc2;

    /// <summary>true.</summary>
    public const byte True = 0xc3;

    /// <summary>bin 8: a byte array with a 1-byte length.</summary>
    public const byte Bin8 = 0xc4;

    /// <summary>bin 16: a byte array with a 2-byte big-endian length.</summary>
    public const byte Bin16 = 0xc5;

    /// <summary>bin 32: a byte array with a 4-byte big-endian length.</summary>
    public const byte Bin32 = 0xc6;

    /// <summary>ext 8: an extension with a 1-byte length and a type code.</summary>
    public const byte Ext8 = 0xc7;

    /// <summary>ext 16: an extension with a 2-byte length and a type code.</summary>
    public const byte Ext16 = 0xc8;

    /// <summary>ext 32: an extension with a 4-byte length and a type code.</summary>
    public const byte Ext32 = 0xc9;

    /// <summary>float 32: an IEEE 754 single, big-endian.</summary>
    public const byte Float32 = 0xca;

    /// <summary>float 64: an IEEE 754 double, big-endian.</summary>
    public const byte Float64 = 0xcb;

    /// <summary>uint 8.</summary>
    public const byte UInt8 = 0xcc;

    /// <summary>uint 16, big-endian.</summary>
    public const byte UInt16 = 0xcd;

    /// <summary>uint 32, big-endian.</summary>
    public const byte UInt32 = 0xce;

    /// <summary>uint 64, big-endian.</summary>
    public const byte UInt64 = 0xcf;

    /// <summary>int 8.</summary>
    public const byte Int8 = 0xd0;

    /// <summary>int 16, big-endian.</summary>
    public const byte Int16 = 0xd1;

    /// <summary>int 32, big-endian.</summary>
    public const byte Int32 = 0xd2;

    /// <summary>int 64, big-endian.</summary>
    public const byte Int64 = 0xd3;

    /// <summary>fixext 1: an extension of exactly 1 data byte.</summary>
    public const byte FixExt1 = 0xd4;

    /// <summary>fixext 2: an extension of exactly 2 data bytes.</summary>
    public const byte FixExt2 = 0xd5;

    /// <summary>fixext 4: an extension of exactly 4 data bytes.</summary>
    public const byte FixExt4 = 0xd6;

    /// <summary>fixext 8: an extension of exactly 8 data bytes.</summary>
    public const byte FixExt8 = 0xd7;

    /// <summary>fixext 16: an extension of exactly 16 data bytes.</summary>
    public const byte FixExt16 = 0xd8;

    /// <summary>str 8: a UTF-8 string with a 1-byte length.</summary>
    public const byte Str8 = 0xd9;

    /// <summary>str 16: a UTF-8 string with a 2-byte big-endian length.</summary>
    public const byte Str16 = 0xda;

    /// <summary>str 32: a UTF-8 string with a 4-byte big-endian length.</summary>
    public const byte Str32 = 0xdb;

    /// <summary>array 16: an array with a 2-byte big-endian element count.</summary>
    public const byte Array16 = 0xdc;

    /// <summary>array 32: an array with a 4-byte big-endian element count.</summary>
    public const byte Array32 = 0xdd;

    /// <summary>map 16: a map with a 2-byte big-endian entry count.</summary>
    public const byte Map16 = 0xde;

    /// <summary>map 32: a map with a 4-byte big-endian entry count.</summary>
    public const byte Map32 = 0xdf;

    /// <summary>The smallest negative fixint (0xe0, the value -32).</summary>
    public const byte MinNegativeFixInt = 0xe0;

    /// <summary>The largest negative fixint (0xff, the value -1).</summary>
    public const byte MaxNegativeFixInt = 0xff;

    /// <summary>The extension type code the specification reserves for timestamps.</summary>
    public const sbyte TimestampExtensionType = -1;

    /// <summary>The type of value that starts with <paramref name="code"/>.</summary>
    /// <param name="code">A format byte.</param>
    /// <returns>The type, or <see cref="MessagePackType.Unknown"/> for 0xc1.</returns>
    public static MessagePackType ToMessagePackType(byte code) => s_types[code];

    /// <summary>The specification's name of the format that starts with <paramref name="code"/>.</summary>
    /// <param name="code">A format byte.</param>
    /// <returns>A name such as <c>"fixint"</c>, <c>"str8"</c> or <c>"never used"</c>.</returns>
    public static string ToFormatName(byte code) => code switch
    {
        <= MaxFixInt => "positive fixint",
        <= MaxFixMap => "fixmap",
        <= MaxFixArray => "fixarray",
        <= MaxFixStr => "fixstr",
        Nil => "nil",
        NeverUsed => "never used",
        False => "false",
        True => "true",
        Bin8 => "bin8",
        Bin16 => "bin16",
        Bin32 => "bin32",
        Ext8 => "ext8",
        Ext16 => "ext16",
        Ext32 => "ext32",
        Float32 => "float32",
        Float64 => "float64",
        UInt8 => "uint8",
        UInt16 => "uint16",
        UInt32 => "uint32",
        UInt64 => "uint64",
        Int8 => "int8",
        Int16 => "int16",
        Int32 => "int32",
        Int64 => "int64",
        FixExt1 => "fixext1",
        FixExt2 => "fixext2",
        FixExt4 => "fixext4",
        FixExt8 => "fixext8",
        FixExt16 => "fixext16",
        Str8 => "str8",
        Str16 => "str16",
        Str32 => "str32",
        Array16 => "array16",
        Array32 => "array32",
        Map16 => "map16",
        Map32 => "map32",
        _ => "negative fixint",
    };

    private static readonly MessagePackType[] s_types = BuildTypes();

    private static MessagePackType[] BuildTypes()
    {
        var types = new MessagePackType[256];
        for (var i = 0; i < 256; i++)
        {
            types[i] = i switch
            {
                <= MaxFixInt => MessagePackType.Integer,
                <= MaxFixMap => MessagePackType.Map,
                <= MaxFixArray => MessagePackType.Array,
                <= MaxFixStr => MessagePackType.String,
                Nil => MessagePackType.Nil,
                NeverUsed => MessagePackType.Unknown,
                False or True => MessagePackType.Boolean,
                >= Bin8 and <= Bin32 => MessagePackType.Binary,
                >= Ext8 and <= Ext32 => MessagePackType.Extension,
                Float32 or Float64 => MessagePackType.Float,
                >= UInt8 and <= Int64 => MessagePackType.Integer,
                >= FixExt1 and <= FixExt16 => MessagePackType.Extension,
                >= Str8 and <= Str32 => MessagePackType.String,
                Array16 or Array32 => MessagePackType.Array,
                Map16 or Map32 => MessagePackType.Map,
                _ => MessagePackType.Integer,
            };
        }

        return types;
    }
}
