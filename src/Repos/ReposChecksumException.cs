namespace Repos;

/// <summary>
/// A stored payload decoded, but its CRC32C checksum does not match the one recorded with it: the
/// bytes were changed after they were written (a flipped bit, a torn write, an overwritten page).
/// </summary>
public sealed class ReposChecksumException : ReposFormatException
{
    /// <summary>Creates the exception from the recorded and the computed checksum.</summary>
    /// <param name="expected">The checksum recorded when the payload was written.</param>
    /// <param name="actual">The checksum of the payload as read.</param>
    /// <param name="offset">The offset of the recorded checksum in the input, or -1 if unknown.</param>
    public ReposChecksumException(uint expected, uint actual, long offset)
        : base($"Checksum mismatch: recorded CRC32C 0x{expected:X8}, computed 0x{actual:X8}; the stored bytes were changed after they were written", offset)
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The checksum recorded when the payload was written.</summary>
    public uint Expected { get; }

    /// <summary>The checksum of the payload as read.</summary>
    public uint Actual { get; }
}
