using System.Globalization;
using System.Text;
using System.Text.Json;
using Repos.Serialization;
using static Repos.Tests.Serialization.MessagePackTestHelpers;

namespace Repos.Tests.Serialization;

/// <summary>Checks the reader and writer against every case of the community msgpack-test-suite data set.</summary>
public class MsgpackTestSuiteTests(MsgpackTestSuiteFixture suite) : IClassFixture<MsgpackTestSuiteFixture>
{
    [Fact]
    public void EveryListedEncoding_DecodesToTheValue_AndOurEncodingIsListedAndShortest()
    {
        var cases = 0;
        var encodings = 0;
        var kinds = new HashSet<string>();
        foreach (var group in suite.Document.RootElement.EnumerateObject())
        {
            foreach (var testCase in group.Value.EnumerateArray())
            {
                var listed = testCase.GetProperty("msgpack").EnumerateArray().Select(e => FromHex(e.GetString()!)).ToList();
                // Big numbers JSON cannot hold come with only a "bignum" string.
                var kind = testCase.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("msgpack" or "bignum")) ?? "number";
                kinds.Add(kind);
                var context = $"{group.Name} {testCase.GetRawText()}";
                foreach (var encoding in listed)
                {
                    try
                    {
                        CheckDecodes(kind, testCase, encoding);
                        CheckSkips(encoding);
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        throw new Xunit.Sdk.XunitException($"{context}: decoding {Hex(encoding)} threw {e}");
                    }

                    encodings++;
                }

                var ours = EncodeValue(kind, testCase);
                // Shortest among the listed encodings of the same family: an integer is written as an
                // integer even where the suite also lists a shorter float32 (2^32 is "ca 4f 80 00 00").
                var family = MessagePackCode.ToMessagePackType(ours[0]);
                var shortest = listed.Where(e => MessagePackCode.ToMessagePackType(e[0]) == family).Min(e => e.Length);
                Assert.True(listed.Any(e => e.AsSpan().SequenceEqual(ours)), $"{context}: our encoding {Hex(ours)} is not listed");
                Assert.True(ours.Length == shortest, $"{context}: our encoding {Hex(ours)} is not the shortest ({shortest} bytes)");
                cases++;
            }
        }

        Assert.Equal(["nil", "bool", "binary", "number", "string", "array", "map", "timestamp", "ext"], kinds);
        // The whole of msgpack-test-suite 1.0.0 was checked.
        Assert.Equal(85, cases);
        Assert.Equal(233, encodings);
    }

    private static void CheckSkips(byte[] encoding)
    {
        var reader = new MessagePackReader(encoding);
        Assert.Equal(encoding, reader.ReadRaw().ToArray());
        Assert.True(reader.End);
    }

    private static void CheckDecodes(string kind, JsonElement testCase, byte[] encoding)
    {
        testCase.TryGetProperty(kind, out var value);
        switch (kind)
        {
            case "nil":
                ReadAll(encoding, (ref MessagePackReader r) =>
                {
                    r.ReadNil();
                    return 0;
                });
                break;
            case "bool":
                Assert.Equal(value.GetBoolean(), ReadAll(encoding, (ref MessagePackReader r) => r.ReadBoolean()));
                break;
            case "binary":
                Assert.Equal(FromHex(value.GetString()!), ReadAll(encoding, (ref MessagePackReader r) => r.ReadBytes()));
                break;
            case "number":
                CheckNumber(testCase, encoding);
                break;
            case "string":
                Assert.Equal(value.GetString(), ReadAll(encoding, (ref MessagePackReader r) => r.ReadString()));
                break;
            case "array" or "map":
                Assert.Equal(Canonical(value), ReadAll(encoding, (ref MessagePackReader r) => ReadCanonical(ref r)));
                break;
            case "timestamp":
                var expected = new MessagePackTimestamp(value[0].GetInt64(), value[1].GetUInt32());
                Assert.Equal(expected, ReadAll(encoding, (ref MessagePackReader r) => r.ReadTimestamp()));
                if (expected.TryToDateTime(out var dateTime))
                {
                    Assert.Equal(dateTime, ReadAll(encoding, (ref MessagePackReader r) => r.ReadDateTime()));
                }
                else
                {
                    // Year 0 is before DateTime.MinValue: a format error, never a wrong date.
                    Assert.Contains("outside the range of DateTime", ReadFails(encoding, (ref MessagePackReader r) => r.ReadDateTime()).Reason, StringComparison.Ordinal);
                }

                break;
            case "ext":
                var reader = new MessagePackReader(encoding);
                var ext = reader.ReadExtensionFormat();
                Assert.Equal(value[0].GetInt32(), ext.TypeCode);
                Assert.Equal(Hex(FromHex(value[1].GetString()!)), Hex(ext.Data));
                Assert.True(reader.End);
                break;
            default:
                throw new Xunit.Sdk.XunitException($"unknown case kind {kind}");
        }
    }

    private static void CheckNumber(JsonElement testCase, byte[] encoding)
    {
        var isFloatEncoding = encoding[0] is MessagePackCode.Float32 or MessagePackCode.Float64;
        if (TryGetInteger(testCase, out var integer))
        {
            if (isFloatEncoding)
            {
                Assert.Equal((double)integer, ReadAll(encoding, (ref MessagePackReader r) => r.ReadDouble()));
                return;
            }

            if (integer >= long.MinValue && integer <= long.MaxValue)
            {
                Assert.Equal((long)integer, ReadAll(encoding, (ref MessagePackReader r) => r.ReadInt64()));
            }

            if (integer >= 0)
            {
                Assert.Equal((ulong)integer, ReadAll(encoding, (ref MessagePackReader r) => r.ReadUInt64()));
            }

            Assert.Equal((double)integer, ReadAll(encoding, (ref MessagePackReader r) => r.ReadDouble()));
        }
        else
        {
            Assert.True(isFloatEncoding);
            Assert.Equal(testCase.GetProperty("number").GetDouble(), ReadAll(encoding, (ref MessagePackReader r) => r.ReadDouble()));
        }
    }

    private static bool TryGetInteger(JsonElement testCase, out Int128 value)
    {
        if (testCase.TryGetProperty("bignum", out var bignum))
        {
            value = Int128.Parse(bignum.GetString()!, CultureInfo.InvariantCulture);
            return true;
        }

        var number = testCase.GetProperty("number");
        if (number.TryGetInt64(out var small))
        {
            value = small;
            return true;
        }

        value = default;
        return false;
    }

    private static byte[] EncodeValue(string kind, JsonElement testCase)
    {
        testCase.TryGetProperty(kind, out var value);
        switch (kind)
        {
            case "number":
                if (TryGetInteger(testCase, out var integer))
                {
                    return integer > long.MaxValue
                        ? Encode((ref MessagePackWriter w) => w.Write((ulong)integer))
                        : Encode((ref MessagePackWriter w) => w.Write((long)integer));
                }

                var number = value.GetDouble();
                var asDouble = Encode((ref MessagePackWriter w) => w.Write(number));
                var asSingle = Encode((ref MessagePackWriter w) => w.Write((float)number));
                Assert.Equal(asDouble, ReadAll(asDouble, (ref MessagePackReader r) => r.ReadRaw().ToArray()));
                return (float)number == number ? asSingle : asDouble;
            case "timestamp":
                var timestamp = new MessagePackTimestamp(value[0].GetInt64(), value[1].GetUInt32());
                return Encode((ref MessagePackWriter w) => w.WriteTimestamp(timestamp));
            case "ext":
                var data = FromHex(value[1].GetString()!);
                var type = (sbyte)value[0].GetInt32();
                return Encode((ref MessagePackWriter w) => w.WriteExtensionFormat(type, data));
            case "binary":
                var bytes = FromHex(value.GetString()!);
                return Encode((ref MessagePackWriter w) => w.Write(bytes));
            default:
                return Encode((ref MessagePackWriter w) => WriteJson(ref w, value));
        }
    }

    private static void WriteJson(ref MessagePackWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                writer.WriteNil();
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.Write(value.GetBoolean());
                break;
            case JsonValueKind.Number:
                writer.Write(value.GetInt64());
                break;
            case JsonValueKind.String:
                writer.Write(value.GetString());
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                {
                    WriteJson(ref writer, item);
                }

                break;
            default:
                writer.WriteMapHeader(value.EnumerateObject().Count());
                foreach (var property in value.EnumerateObject())
                {
                    writer.Write(property.Name);
                    WriteJson(ref writer, property.Value);
                }

                break;
        }
    }

    /// <summary>A JSON-like text of a value, the same for equal values whatever their encoding.</summary>
    private static string Canonical(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "[" + string.Join(",", value.EnumerateArray().Select(Canonical)) + "]",
        JsonValueKind.Object => "{" + string.Join(",", value.EnumerateObject().Select(p => JsonSerializer.Serialize(p.Name) + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.String => JsonSerializer.Serialize(value.GetString()),
        JsonValueKind.Number => value.GetInt64().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Null => "null",
        _ => value.GetBoolean() ? "true" : "false",
    };

    private static string ReadCanonical(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
            {
                var count = reader.ReadArrayHeader();
                var text = new StringBuilder("[");
                for (var i = 0; i < count; i++)
                {
                    text.Append(i == 0 ? "" : ",").Append(ReadCanonical(ref reader));
                }

                return text.Append(']').ToString();
            }

            case MessagePackType.Map:
            {
                var count = reader.ReadMapHeader();
                var text = new StringBuilder("{");
                for (var i = 0; i < count; i++)
                {
                    text.Append(i == 0 ? "" : ",").Append(ReadCanonical(ref reader)).Append(':').Append(ReadCanonical(ref reader));
                }

                return text.Append('}').ToString();
            }

            case MessagePackType.String:
                return JsonSerializer.Serialize(reader.ReadString());
            case MessagePackType.Integer:
                return reader.ReadInt64().ToString(CultureInfo.InvariantCulture);
            case MessagePackType.Nil:
                reader.ReadNil();
                return "null";
            case MessagePackType.Boolean:
                return reader.ReadBoolean() ? "true" : "false";
            default:
                throw new Xunit.Sdk.XunitException($"unexpected {reader.NextMessagePackType} in a test-suite collection");
        }
    }
}
