using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Repos.Serialization;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of the blob envelope.
/// Uses the processor's CRC32 instruction where there is one (SSE4.2, ARMv8) and a slicing-by-8 table
/// otherwise; both give identical results.
/// </summary>
/// <remarks>
/// The value is the standard one: <c>Compute("123456789"u8)</c> is <c>0xE3069283</c>, as in RFC 3720.
/// </remarks>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;

    private static readonly uint[] s_table = CreateTable();

    /// <summary>Computes the CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The checksum.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues a checksum: <c>Append(Compute(a), b)</c> equals <c>Compute(a + b)</c>.
    /// </summary>
    /// <param name="crc">The checksum of the bytes before <paramref name="data"/> (0 for none).</param>
    /// <param name="data">The next bytes.</param>
    /// <returns>The checksum of all the bytes.</returns>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            return UpdateSse42(state, data);
        }

        if (Crc32.Arm64.IsSupported)
        {
            return UpdateArm64(state, data);
        }

        return UpdateSoftware(state, data);
    }

    private static uint UpdateSse42(uint state, ReadOnlySpan<byte> data)
    {
        ulong crc = state;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        for (; i <= length - 32; i += 32)
        {
            crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
            crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 8)));
            crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 16)));
            crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 24)));
        }

        for (; i <= length - 8; i += 8)
        {
            crc = Sse42.X64.Crc32(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }

        uint crc32 = (uint)crc;
        for (; i < length; i++)
        {
            crc32 = Sse42.Crc32(crc32, Unsafe.Add(ref start, i));
        }

        return crc32;
    }

    private static uint UpdateArm64(uint state, ReadOnlySpan<byte> data)
    {
        uint crc = state;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        for (; i <= length - 8; i += 8)
        {
            crc = Crc32.Arm64.ComputeCrc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }

        for (; i < length; i++)
        {
            crc = Crc32.ComputeCrc32C(crc, Unsafe.Add(ref start, i));
        }

        return crc;
    }

    /// <summary>The table-driven path, used where the processor has no CRC32 instruction; tests compare it with the hardware path.</summary>
    internal static uint UpdateSoftware(uint state, ReadOnlySpan<byte> data)
    {
        uint[] table = s_table;
        uint crc = state;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = table[(7 * 256) + (low & 0xFF)]
                ^ table[(6 * 256) + ((low >> 8) & 0xFF)]
                ^ table[(5 * 256) + ((low >> 16) & 0xFF)]
                ^ table[(4 * 256) + (low >> 24)]
                ^ table[(3 * 256) + (high & 0xFF)]
                ^ table[(2 * 256) + ((high >> 8) & 0xFF)]
                ^ table[(1 * 256) + ((high >> 16) & 0xFF)]
                ^ table[high >> 24];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    internal static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~UpdateSoftware(~0u, data);

    private static uint[] CreateTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            table[i] = crc;
        }

        for (int slice = 1; slice < 8; slice++)
        {
            for (int i = 0; i < 256; i++)
            {
                uint previous = table[((slice - 1) * 256) + i];
                table[(slice * 256) + i] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }
}
