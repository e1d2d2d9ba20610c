using System.ComponentModel;

namespace Repos.Internal;

/// <summary>The SQLite storage class of a column value.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ColumnKind : byte
{
    /// <summary>SQL NULL.</summary>
    Null,

    /// <summary>A 64-bit signed integer.</summary>
    Integer,

    /// <summary>A 64-bit IEEE floating-point number.</summary>
    Real,

    /// <summary>UTF-8 text, compared byte by byte.</summary>
    Text,

    /// <summary>Bytes, compared byte by byte.</summary>
    Blob,
}
