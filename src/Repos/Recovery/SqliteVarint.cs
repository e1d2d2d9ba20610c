namespace Repos.Recovery;

/// <summary>SQLite's variable-length integers: 1 to 9 bytes, big-endian, 7 bits a byte, all 8 in the ninth.</summary>
internal static class SqliteVarint
{
    /// <summary>Reads a varint at the start of <paramref name="data"/>.</summary>
    /// <returns>The bytes it took, or 0 when <paramref name="data"/> ends inside it.</returns>
    public static int Read(ReadOnlySpan<byte> data, out long value)
    {
        ulong result = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i >= data.Length)
            {
                value = 0;
                return 0;
            }

            byte b = data[i];
            result = (result << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                value = (long)result;
                return i + 1;
            }
        }

        if (data.Length < 9)
        {
            value = 0;
            return 0;
        }

        value = (long)((result << 8) | data[8]);
        return 9;
    }
}
