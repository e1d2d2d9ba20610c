using System.Text;
using Repos.Serialization;

namespace Repos.Tests.Serialization;

public class Crc32CTests
{
    // Check values from RFC 3720, appendix B.4, and the CRC catalogue's "check" input.
    public static TheoryData<byte[], uint> KnownVectors => new()
    {
        { Array.Empty<byte>(), 0x00000000u },
        { Encoding.ASCII.GetBytes("123456789"), 0xE3069283u },
        { new byte[32], 0x8A9136AAu },
        { Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0x62A8AB43u },
        { Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46DD794Eu },
        { Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113FDB5Cu },
    };

    [Theory]
    [MemberData(nameof(KnownVectors))]
    public void Compute_KnownVector_MatchesPublishedValue(byte[] data, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, Crc32C.ComputeSoftware(data));
    }

    [Fact]
    public void Compute_HardwareAndTablePaths_AgreeOnEveryLengthAndAlignment()
    {
        const int seed = 1207;
        var random = new Random(seed);
        var buffer = new byte[1100];
        random.NextBytes(buffer);
        for (int offset = 0; offset < 9; offset++)
        {
            for (int length = 0; length < 1090; length += length < 80 ? 1 : 37)
            {
                ReadOnlySpan<byte> data = buffer.AsSpan(offset, length);
                Assert.True(
                    Crc32C.Compute(data) == Crc32C.ComputeSoftware(data),
                    $"seed {seed}, offset {offset}, length {length}");
            }
        }
    }

    [Fact]
    public void Append_InPieces_EqualsComputeOfTheWhole()
    {
        byte[] data = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog, again and again and again.");
        uint whole = Crc32C.Compute(data);
        for (int split = 0; split <= data.Length; split++)
        {
            uint pieces = Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split));
            Assert.Equal(whole, pieces);
        }
    }
}
