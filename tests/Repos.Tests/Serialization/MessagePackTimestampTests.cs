using Repos.Serialization;
using static Repos.Tests.Serialization.MessagePackTestHelpers;

namespace Repos.Tests.Serialization;

public class MessagePackTimestampTests
{
    [Theory]
    [InlineData(0L, 0u, "d6ff00000000")]
    [InlineData(1L, 0u, "d6ff00000001")]
    [InlineData(4294967295L, 0u, "d6ffffffffff")]
    [InlineData(4294967296L, 0u, "d7ff0000000100000000")]
    [InlineData(0L, 1u, "d7ff0000000400000000")]
    [InlineData(17179869183L, 999999999u, "d7ffee6b27ffffffffff")]
    [InlineData(17179869184L, 0u, "c70cff000000000000000400000000")]
    [InlineData(-1L, 0u, "c70cff00000000ffffffffffffffff")]
    [InlineData(-1L, 999999999u, "c70cff3b9ac9ffffffffffffffffff")]
    [InlineData(long.MinValue, 0u, "c70cff000000008000000000000000")]
    [InlineData(long.MaxValue, 999999999u, "c70cff3b9ac9ff7fffffffffffffff")]
    public void Timestamp_UsesSmallestSizeAndRoundTrips(long seconds, uint nanoseconds, string expected)
    {
        var timestamp = new MessagePackTimestamp(seconds, nanoseconds);
        var bytes = Encode((ref MessagePackWriter w) => w.WriteTimestamp(timestamp));
        Assert.Equal(expected, Hex(bytes));
        Assert.Equal(timestamp, ReadAll(bytes, (ref MessagePackReader r) => r.ReadTimestamp()));
    }

    public static TheoryData<DateTime, string> DateTimes() => new()
    {
        { DateTime.UnixEpoch, "d6ff00000000" },
        { new DateTime(2106, 2, 7, 6, 28, 15, DateTimeKind.Utc), "d6ffffffffff" }, // 2^32 - 1 seconds
        { new DateTime(2106, 2, 7, 6, 28, 16, DateTimeKind.Utc), "d7ff0000000100000000" }, // 2^32 seconds
        { new DateTime(2514, 5, 30, 1, 53, 3, DateTimeKind.Utc).AddTicks(9_999_999), "d7ffee6b2673ffffffff" }, // 2^34 - 1 s + 999,999,900 ns
        { new DateTime(2514, 5, 30, 1, 53, 4, DateTimeKind.Utc), "c70cff000000000000000400000000" }, // 2^34 seconds
        { DateTime.UnixEpoch.AddTicks(-1), "c70cff3b9ac99cffffffffffffffff" }, // before 1970: 96-bit
        { new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc), "c70cff00000000ffffffff7c558180" },
        { DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), "c70cff00000000fffffff1886e0900" },
        { DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), "c70cff3b9ac99c0000003afff4417f" },
    };

    [Theory]
    [MemberData(nameof(DateTimes))]
    public void DateTime_UsesSmallestSizeAndRoundTripsExactly(DateTime value, string expected)
    {
        var bytes = Encode((ref MessagePackWriter w) => w.Write(value));
        Assert.Equal(expected, Hex(bytes));
        var read = ReadAll(bytes, (ref MessagePackReader r) => r.ReadDateTime());
        Assert.Equal(value.Ticks, read.Ticks);
        Assert.Equal(DateTimeKind.Utc, read.Kind);
        Assert.Equal(value, MessagePackTimestamp.FromDateTime(value).ToDateTime());
    }

    [Fact]
    public void DateTime_LocalIsConvertedToUtc_UnspecifiedIsTakenAsUtc()
    {
        var utc = new DateTime(2024, 3, 1, 12, 30, 45, 123, DateTimeKind.Utc).AddTicks(4567);
        var local = utc.ToLocalTime();
        var unspecified = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);
        var expected = Encode((ref MessagePackWriter w) => w.Write(utc));
        Assert.Equal(expected, Encode((ref MessagePackWriter w) => w.Write(local)));
        Assert.Equal(expected, Encode((ref MessagePackWriter w) => w.Write(unspecified)));
        Assert.Equal(utc, ReadAll(expected, (ref MessagePackReader r) => r.ReadDateTime()));
    }

    [Fact]
    public void ReadDateTime_TruncatesNanosecondsToTicks()
    {
        var bytes = Encode((ref MessagePackWriter w) => w.WriteTimestamp(new MessagePackTimestamp(0, 199)));
        Assert.Equal(DateTime.UnixEpoch.AddTicks(1), ReadAll(bytes, (ref MessagePackReader r) => r.ReadDateTime()));
    }

    [Theory]
    [InlineData(-62135596801L)] // one second before DateTime.MinValue
    [InlineData(253402300800L)] // DateTime.MaxValue + 1 s, rounded up
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void ReadDateTime_OutOfRange_IsFormatError(long seconds)
    {
        var bytes = Encode((ref MessagePackWriter w) => w.WriteTimestamp(new MessagePackTimestamp(seconds, 0)));
        var e = ReadFails(bytes, (ref MessagePackReader r) => r.ReadDateTime());
        Assert.Contains("outside the range of DateTime", e.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessagePackTimestamp(seconds, 0).ToDateTime());
    }

    [Theory]
    [InlineData("d7ffee6b2800" + "00000000")] // 64-bit, nanoseconds 1,000,000,000
    [InlineData("c70cff3b9aca00" + "0000000000000000")] // 96-bit, nanoseconds 1,000,000,000
    public void ReadTimestamp_NanosecondsOutOfRange_IsFormatError(string hex)
    {
        var e = ReadFails(FromHex(hex), (ref MessagePackReader r) => r.ReadTimestamp());
        Assert.Equal("timestamp nanoseconds 1000000000 out of range", e.Reason);
    }

    [Theory]
    [InlineData("d4ff00", "timestamp extension length 1 is invalid (4, 8 or 12)")]
    [InlineData("c70bff0000000000000000000000", "timestamp extension length 11 is invalid (4, 8 or 12)")]
    [InlineData("d60100000000", "expected timestamp extension (type -1) but found type 1")]
    [InlineData("a0", "expected Extension but found String (0xa0)")]
    [InlineData("d6ff0000", "fixext4 length 4 exceeds the 2 bytes left")]
    public void ReadTimestamp_Malformed_IsFormatError(string hex, string reason)
    {
        Assert.Equal(reason, ReadFails(FromHex(hex), (ref MessagePackReader r) => r.ReadTimestamp()).Reason);
    }
}
