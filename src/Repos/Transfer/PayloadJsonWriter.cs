using System.Globalization;
using System.Text.Json;
using Repos.Internal;
using Repos.Serialization;

namespace Repos.Transfer;

/// <summary>
/// Writes a row's payload as JSON, by the file's catalog alone (<see cref="CatalogTypes"/>), in the exact value forms
/// of docs/transfer.md (<i>Values</i>): what an export writes, from the app or from the <c>repos</c> tool, the same
/// bytes either way. Fields keep the payload's order; a field the catalog does not name is left out.
/// </summary>
internal sealed class PayloadJsonWriter(CatalogTypes types)
{
    /// <summary>The property of a row that is at an older schema version than its entity's in the bundle.</summary>
    public const string VersionProperty = "$version";

    /// <summary>Writes the payload of a row of stored type <paramref name="typeName"/> as a JSON object.</summary>
    /// <exception cref="ReposFormatException">The payload is not a valid value of the type.</exception>
    /// <param name="json">Where to write.</param>
    /// <param name="typeName">The stored type.</param>
    /// <param name="payload">The row's payload.</param>
    /// <param name="version">
    /// The schema version the payload is at, written first as <c>"$version"</c>, when it is not the version the rest
    /// of the export is at (a row of an entity that migrates lazily, exported without the app's migrations); else null.
    /// </param>
    public void WriteObject(Utf8JsonWriter json, string typeName, ReadOnlySpan<byte> payload, int? version = null)
    {
        var reader = new MessagePackReader(payload);
        WriteObject(json, typeName, ref reader, version);
    }

    private void WriteObject(Utf8JsonWriter json, string typeName, ref MessagePackReader reader, int? version = null)
    {
        IReadOnlyDictionary<long, CatalogTypeField> fields = types.FieldsOf(typeName)
            ?? throw new ReposFormatException($"The catalog has no stored type {typeName}.", reader.Consumed);
        reader.EnterObject();
        json.WriteStartObject();
        if (version is { } stored)
        {
            json.WriteNumber(VersionProperty, stored);
        }

        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            long id = reader.ReadInt64();
            if (!fields.TryGetValue(id, out CatalogTypeField? field))
            {
                reader.Skip();
                continue;
            }

            json.WritePropertyName(field.Name);
            if (field.Type is { } type)
            {
                WriteValue(json, type, ref reader);
            }
            else
            {
                WriteAny(json, ref reader);
            }
        }

        json.WriteEndObject();
        reader.LeaveObject();
    }

    /// <summary>Writes one value of <paramref name="type"/> (a CSV cell that holds JSON writes its value this way).</summary>
    internal void WriteValue(Utf8JsonWriter json, CatalogType type, ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            json.WriteNullValue();
            return;
        }

        CultureInfo invariant = CultureInfo.InvariantCulture;
        switch (type.Kind)
        {
            case CatalogTypeKind.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case CatalogTypeKind.UInt64:
                json.WriteNumberValue(reader.ReadUInt64());
                break;
            case CatalogTypeKind.SByte or CatalogTypeKind.Byte or CatalogTypeKind.Int16 or CatalogTypeKind.UInt16
                or CatalogTypeKind.Int32 or CatalogTypeKind.UInt32 or CatalogTypeKind.Int64:
                json.WriteNumberValue(reader.ReadInt64());
                break;
            case CatalogTypeKind.Single:
                WriteFloat(json, reader.ReadSingle());
                break;
            case CatalogTypeKind.Double:
                WriteFloat(json, reader.ReadDouble());
                break;
            case CatalogTypeKind.Decimal:
                json.WriteStringValue(ValueCodec.ReadDecimal(ref reader).ToString(invariant));
                break;
            case CatalogTypeKind.Char:
                WriteChar(json, ValueCodec.ReadChar(ref reader));
                break;
            case CatalogTypeKind.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case CatalogTypeKind.Guid:
                json.WriteStringValue(ValueCodec.ReadGuid(ref reader).ToString("D"));
                break;
            case CatalogTypeKind.DateTime:
                // "O": a UTC time ends in Z, an unspecified one has no suffix, a local one has its offset.
                json.WriteStringValue(ValueCodec.ReadDateTime(ref reader).ToString("O", invariant));
                break;
            case CatalogTypeKind.DateTimeOffset:
                json.WriteStringValue(ValueCodec.ReadDateTimeOffset(ref reader).ToString("O", invariant));
                break;
            case CatalogTypeKind.DateOnly:
                json.WriteStringValue(ValueCodec.ReadDateOnly(ref reader).ToString("O", invariant));
                break;
            case CatalogTypeKind.TimeOnly:
                json.WriteStringValue(ValueCodec.ReadTimeOnly(ref reader).ToString("O", invariant));
                break;
            case CatalogTypeKind.TimeSpan:
                json.WriteStringValue(ValueCodec.ReadTimeSpan(ref reader).ToString("c", invariant));
                break;
            case CatalogTypeKind.Bytes:
                json.WriteBase64StringValue(reader.ReadBinarySpan());
                break;
            case CatalogTypeKind.Nullable:
                WriteValue(json, type.Element!, ref reader);
                break;
            case CatalogTypeKind.List or CatalogTypeKind.Set:
                json.WriteStartArray();
                for (int count = reader.ReadArrayHeader(); count > 0; count--)
                {
                    WriteValue(json, type.Element!, ref reader);
                }

                json.WriteEndArray();
                break;
            case CatalogTypeKind.Dictionary:
                WriteDictionary(json, type, ref reader);
                break;
            case CatalogTypeKind.Named when types.FieldsOf(type.Name!) is not null:
                WriteObject(json, type.Name!, ref reader);
                break;
            default:
                // An enum: by the member's name, or as its number when no member has it (flags combined, a newer app's member).
                if (reader.NextMessagePackType == MessagePackType.Integer)
                {
                    bool unsigned = reader.NextCode == MessagePackCode.UInt64;
                    long value = unsigned ? unchecked((long)reader.ReadUInt64()) : reader.ReadInt64();
                    if (types.EnumName(type.Name!, value) is { } name)
                    {
                        json.WriteStringValue(name);
                    }
                    else if (unsigned)
                    {
                        json.WriteNumberValue(unchecked((ulong)value));
                    }
                    else
                    {
                        json.WriteNumberValue(value);
                    }
                }
                else
                {
                    WriteAny(json, ref reader);
                }

                break;
        }
    }

    // String keys make an object; any other key type an array of [key, value] pairs (JSON keys are strings).
    private void WriteDictionary(Utf8JsonWriter json, CatalogType type, ref MessagePackReader reader)
    {
        bool textKeys = type.Key!.Kind == CatalogTypeKind.String;
        if (textKeys)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartArray();
        }

        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            if (textKeys)
            {
                json.WritePropertyName(reader.ReadString() ?? string.Empty);
                WriteValue(json, type.Element!, ref reader);
                continue;
            }

            json.WriteStartArray();
            WriteValue(json, type.Key, ref reader);
            WriteValue(json, type.Element!, ref reader);
            json.WriteEndArray();
        }

        if (textKeys)
        {
            json.WriteEndObject();
        }
        else
        {
            json.WriteEndArray();
        }
    }

    // A char may be half of a surrogate pair, which is not text: it goes as its UTF-16 code unit, a number.
    private static void WriteChar(Utf8JsonWriter json, char value)
    {
        if (char.IsSurrogate(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue([value]);
        }
    }

    // JSON has no NaN or infinities: those are strings, as the importer reads them.
    private static void WriteFloat(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    // A float goes as a float (its shortest digits); NaN and the infinities read the same as a double's.
    private static void WriteFloat(Utf8JsonWriter json, float value)
    {
        if (float.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            WriteFloat(json, (double)value);
        }
    }

    /// <summary>A value with no catalog type (kept from sync as it travelled): MessagePack's own shapes as JSON's.</summary>
    internal static void WriteAny(Utf8JsonWriter json, ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                json.WriteNumberValue(reader.ReadUInt64());
                break;
            case MessagePackType.Integer:
                json.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                WriteFloat(json, reader.ReadDouble());
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Binary:
                json.WriteBase64StringValue(reader.ReadBinarySpan());
                break;
            case MessagePackType.Array:
                reader.EnterObject();
                json.WriteStartArray();
                for (int count = reader.ReadArrayHeader(); count > 0; count--)
                {
                    WriteAny(json, ref reader);
                }

                json.WriteEndArray();
                reader.LeaveObject();
                break;
            case MessagePackType.Map:
                reader.EnterObject();
                json.WriteStartObject();
                for (int count = reader.ReadMapHeader(); count > 0; count--)
                {
                    json.WritePropertyName(reader.NextMessagePackType == MessagePackType.String
                        ? reader.ReadString() ?? string.Empty
                        : reader.ReadInt64().ToString(CultureInfo.InvariantCulture));
                    WriteAny(json, ref reader);
                }

                json.WriteEndObject();
                reader.LeaveObject();
                break;
            default:
                // An extension (a timestamp): as its base64 bytes, which no importer takes for a typed value.
                json.WriteBase64StringValue(reader.ReadRaw());
                break;
        }
    }
}
