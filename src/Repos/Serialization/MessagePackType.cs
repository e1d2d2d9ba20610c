namespace Repos.Serialization;

/// <summary>The kind of a MessagePack value, as told by its first byte.</summary>
public enum MessagePackType
{
    /// <summary>The format byte 0xc1, which the specification never uses.</summary>
    Unknown = 0,

    /// <summary>A positive or negative fixint, uint 8..64 or int 8..64.</summary>
    Integer,

    /// <summary>nil.</summary>
    Nil,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>float 32 or float 64.</summary>
    Float,

    /// <summary>fixstr or str 8/16/32 (UTF-8).</summary>
    String,

    /// <summary>bin 8/16/32.</summary>
    Binary,

    /// <summary>fixarray or array 16/32.</summary>
    Array,

    /// <summary>fixmap or map 16/32.</summary>
    Map,

    /// <summary>fixext 1/2/4/8/16 or ext 8/16/32, including timestamps.</summary>
    Extension,
}
