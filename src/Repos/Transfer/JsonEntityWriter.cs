using System.Globalization;
using System.Text;
using System.Text.Json;
using Repos.Internal;
using Repos.Serialization;

namespace Repos.Transfer;

/// <summary>
/// Writes a JSON document as the MessagePack map an entity is stored as (field ids from the file's catalog,
/// values in the encodings the generated readers expect), converting each value by its property's type. A
/// value that does not fit is recorded as a problem with its JSON path, and writing goes on, so one pass
/// reports every problem of a document.
/// </summary>
internal sealed class JsonEntityWriter
{
    private const int QuotedTextLength = 40;

    private readonly JsonImportPlan _plan;
    private readonly JsonImportOptions _options;
    private readonly long _unitTicks;
    private readonly List<(string? Name, int Index)> _path = [];

    public JsonEntityWriter(JsonImportPlan plan, JsonImportOptions options)
    {
        _plan = plan;
        _options = options;
        _unitTicks = options.TimeNumbers == TimeNumberUnit.Seconds ? TimeSpan.TicksPerSecond : TimeSpan.TicksPerMillisecond;
    }

    // The document's own property names (JSON) left out of a rewrite (WriteWithoutFailed), or null.
    private IReadOnlySet<string>? _skip;

    // Every problem found in the document, including those past the ones Problems keeps.
    private int _found;

    /// <summary>
    /// The problems of the last document written, with their JSON paths: the first
    /// <see cref="JsonImportOptions.MaxErrors"/> + 1 of them, so that one huge document holds no more than the import keeps.
    /// </summary>
    public List<(JsonImportErrorKind Kind, string Path, string Message)> Problems { get; } = [];

    /// <summary>The JSON names of the document's properties whose values did not fit, in the last document written.</summary>
    public HashSet<string> FailedNames { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The entity's properties that have no good value in the last document written: their values did not fit, or
    /// they are missing where they are required. A validation rule on them says nothing about the document.
    /// </summary>
    public HashSet<string> FailedProperties { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes <paramref name="document"/> (a JSON object) as the entity's map. <paramref name="entryKey"/> is the
    /// document's key in the dump, which fills the key property when the document lacks it.
    /// </summary>
    /// <returns>Whether the document fits; if not, <see cref="Problems"/> says why and the output is to be discarded.</returns>
    public bool Write(ref MessagePackWriter writer, JsonElement document, string? entryKey)
    {
        Problems.Clear();
        FailedNames.Clear();
        FailedProperties.Clear();
        _path.Clear();
        _skip = null;
        _found = 0;
        WriteObject(ref writer, document, _plan.Root, entryKey, isRoot: true);
        return _found == 0;
    }

    /// <summary>
    /// Writes a document <see cref="Write"/> found problems in once more, leaving out its properties whose values
    /// did not fit (<see cref="FailedNames"/>), so that what did convert can be read as the entity and its
    /// validation rules checked too. <see cref="Problems"/>, <see cref="FailedNames"/> and
    /// <see cref="FailedProperties"/> keep what <see cref="Write"/> found.
    /// </summary>
    public void WriteWithoutFailed(ref MessagePackWriter writer, JsonElement document, string? entryKey)
    {
        int problems = Problems.Count;
        int found = _found;
        _path.Clear();
        _skip = FailedNames;
        try
        {
            WriteObject(ref writer, document, _plan.Root, entryKey, isRoot: true);
        }
        finally
        {
            _skip = null;

            // What the rewrite finds again (a required property it now lacks) was found the first time.
            Problems.RemoveRange(problems, Problems.Count - problems);
            _found = found;
        }
    }

    /// <summary>
    /// The JSON path, with the document's own names, of a property path a validation error names
    /// (<c>Tags[2].Weight</c> to <c>$.tags[2].weight</c>). Parts the document does not have keep their property names.
    /// </summary>
    public string PathOf(JsonElement document, string propertyPath)
    {
        var path = new StringBuilder("$");
        if (propertyPath.Length == 0)
        {
            return path.ToString();
        }

        JsonElement current = document;
        JsonObjectPlan? plan = _plan.Root;
        foreach (string part in propertyPath.Split('.'))
        {
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? part : part[..bracket];
            string jsonName = name;
            JsonValuePlan? type = null;
            int ordinal = plan?.OrdinalOf(name) ?? -1;
            if (ordinal >= 0 && current.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in current.EnumerateObject())
                {
                    if (plan!.Find(property.Name) == ordinal)
                    {
                        jsonName = property.Name;
                        current = property.Value;
                        type = plan.Fields[ordinal].Type;
                        break;
                    }
                }
            }

            JsonPathText.Append(path, jsonName, -1);
            for (int start = bracket; start >= 0; start = part.IndexOf('[', start + 1))
            {
                int end = part.IndexOf(']', start);
                if (end < 0 || !int.TryParse(part.AsSpan(start + 1, end - start - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    break;
                }

                JsonPathText.Append(path, null, index);
                bool inside = type is not null && current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength();
                current = inside ? current[index] : default;
                type = inside ? Unwrap(type!).Element : null;
            }

            plan = type is null ? null : Unwrap(type).Object;
        }

        return path.ToString();
    }

    private static JsonValuePlan Unwrap(JsonValuePlan type) => type.Kind == CatalogTypeKind.Nullable ? type.Element! : type;

    private void WriteObject(ref MessagePackWriter writer, JsonElement json, JsonObjectPlan plan, string? entryKey, bool isRoot)
    {
        JsonFieldPlan[] fields = plan.Fields;
        var names = new string?[fields.Length];
        var values = new JsonElement[fields.Length];
        int count = 0;
        foreach (JsonProperty property in json.EnumerateObject())
        {
            string name = property.Name;
            if (isRoot && _skip is not null && _skip.Contains(name))
            {
                continue;
            }

            int ordinal = plan.Find(name);
            if (ordinal < 0)
            {
                if (_options.UnknownProperties == UnknownPropertyHandling.Fail)
                {
                    Problem(JsonImportErrorKind.UnknownProperty, name, $"{plan.DisplayName} has no property that '{name}' matches");
                }

                continue;
            }

            if (names[ordinal] is { } first)
            {
                Problem(JsonImportErrorKind.AmbiguousProperty, name, $"'{first}' and '{name}' both match {plan.DisplayName}.{fields[ordinal].Name}");
                continue;
            }

            names[ordinal] = name;
            values[ordinal] = property.Value;
            count++;
        }

        int key = isRoot ? _plan.KeyOrdinal : -1;
        bool keyFromEntry = key >= 0 && names[key] is null && entryKey is not null;
        for (int ordinal = 0; ordinal < fields.Length; ordinal++)
        {
            if (names[ordinal] is not null || (keyFromEntry && ordinal == key))
            {
                continue;
            }

            if (ordinal == key && _plan.AssignsKeys)
            {
                // Repos gives the entity a key when it is inserted.
            }
            else if (ordinal == key)
            {
                Problem(JsonImportErrorKind.MissingValue, null, $"the key property {fields[ordinal].Name} is missing (and the document has no entry key to take it from)");
                Failed(isRoot, null, fields[ordinal].Name);
            }
            else if (fields[ordinal].IsRequired)
            {
                Problem(JsonImportErrorKind.MissingValue, null, $"the required property {fields[ordinal].Name} is missing");
                Failed(isRoot, null, fields[ordinal].Name);
            }
        }

        writer.WriteMapHeader(count + (keyFromEntry ? 1 : 0));
        for (int ordinal = 0; ordinal < fields.Length; ordinal++)
        {
            if (names[ordinal] is { } name)
            {
                writer.Write(plan.Ids[ordinal]);
                _path.Add((name, -1));
                int problems = _found;
                WriteValue(ref writer, values[ordinal], fields[ordinal].Type, fields[ordinal].AllowsNull);
                if (_found > problems)
                {
                    Failed(isRoot, name, fields[ordinal].Name);
                }

                _path.RemoveAt(_path.Count - 1);
            }
        }

        if (keyFromEntry)
        {
            writer.Write(plan.Ids[key]);
            if (WriteText(ref writer, entryKey!, fields[key].Type) is { } problem)
            {
                writer.WriteNil();
                Problem(JsonImportErrorKind.InvalidValue, null, $"the entry key cannot be the key property {fields[key].Name}: {problem}");
                Failed(isRoot, null, fields[key].Name);
            }
        }
    }

    /// <summary>Notes a property of the document itself (not of a nested object) that has no good value.</summary>
    private void Failed(bool isRoot, string? jsonName, string property)
    {
        if (isRoot)
        {
            if (jsonName is not null)
            {
                FailedNames.Add(jsonName);
            }

            FailedProperties.Add(property);
        }
    }

    /// <summary>Writes one value, or nil and a problem when it does not fit.</summary>
    private void WriteValue(ref MessagePackWriter writer, JsonElement value, JsonValuePlan type, bool allowsNull)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (type.Kind != CatalogTypeKind.Nullable && !(allowsNull && type.IsReference))
            {
                Problem(JsonImportErrorKind.MissingValue, null, $"null is not allowed here: expected {type.DisplayName}");
            }

            writer.WriteNil();
            return;
        }

        string? problem;
        switch (type.Kind)
        {
            case CatalogTypeKind.Nullable:
                WriteValue(ref writer, value, type.Element!, allowsNull: false);
                return;
            case CatalogTypeKind.List or CatalogTypeKind.Set when value.ValueKind == JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    _path.Add((null, index++));
                    WriteValue(ref writer, item, type.Element!, allowsNull: true);
                    _path.RemoveAt(_path.Count - 1);
                }

                return;
            case CatalogTypeKind.Dictionary when value.ValueKind == JsonValueKind.Object:
                writer.WriteMapHeader(value.GetPropertyCount());
                foreach (JsonProperty entry in value.EnumerateObject())
                {
                    _path.Add((entry.Name, -1));
                    if (WriteText(ref writer, entry.Name, type.Key!) is { } keyProblem)
                    {
                        writer.WriteNil();
                        Problem(JsonImportErrorKind.InvalidValue, null, $"the key '{Shorten(entry.Name)}' does not fit: {keyProblem}");
                    }

                    WriteValue(ref writer, entry.Value, type.Element!, allowsNull: true);
                    _path.RemoveAt(_path.Count - 1);
                }

                return;
            case CatalogTypeKind.Dictionary when value.ValueKind == JsonValueKind.Array && type.Key!.Kind != CatalogTypeKind.String:
                // Keys that are not strings, as an export writes them: an array of [key, value] pairs.
                writer.WriteMapHeader(value.GetArrayLength());
                int pairIndex = 0;
                foreach (JsonElement pair in value.EnumerateArray())
                {
                    _path.Add((null, pairIndex++));
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                    {
                        writer.WriteNil();
                        writer.WriteNil();
                        Problem(JsonImportErrorKind.InvalidValue, null, $"expected a [key, value] pair of {type.DisplayName}, found {Describe(pair)}");
                    }
                    else
                    {
                        WriteValue(ref writer, pair[0], type.Key!, allowsNull: false);
                        WriteValue(ref writer, pair[1], type.Element!, allowsNull: true);
                    }

                    _path.RemoveAt(_path.Count - 1);
                }

                return;
            case CatalogTypeKind.Named when type.Object is { } nested && value.ValueKind == JsonValueKind.Object:
                WriteObject(ref writer, value, nested, null, isRoot: false);
                return;
            case CatalogTypeKind.Bytes when value.ValueKind == JsonValueKind.Array:
                problem = WriteByteArray(ref writer, value);
                break;
            case CatalogTypeKind.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                writer.Write(value.ValueKind == JsonValueKind.True);
                return;
            default:
                problem = value.ValueKind switch
                {
                    JsonValueKind.String => WriteText(ref writer, value.GetString()!, type),
                    JsonValueKind.Number => WriteNumber(ref writer, value, type),
                    _ => Expected(type, Describe(value)),
                };
                break;
        }

        if (problem is not null)
        {
            writer.WriteNil();
            Problem(JsonImportErrorKind.InvalidValue, null, problem);
        }
    }

    /// <summary>Writes a value given as text (a JSON string, a dictionary key, an entry key); returns the problem, or null once written.</summary>
    private string? WriteText(ref MessagePackWriter writer, string text, JsonValuePlan type)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        switch (type.Kind)
        {
            case CatalogTypeKind.Nullable:
                return WriteText(ref writer, text, type.Element!);
            case CatalogTypeKind.String:
                writer.Write(text);
                return null;
            case CatalogTypeKind.Char when text.Length == 1:
                ValueCodec.WriteChar(ref writer, text[0]);
                return null;
            case CatalogTypeKind.Boolean when bool.TryParse(text, out bool flag):
                writer.Write(flag);
                return null;
            case var kind when JsonValueRanges.IsInteger(kind):
                return decimal.TryParse(text, NumberStyles.Float, invariant, out decimal whole)
                    ? WriteInteger(ref writer, kind, whole)
                    : Expected(type, Quote(text));
            case CatalogTypeKind.Single or CatalogTypeKind.Double when TryParseFloat(text, out double number):
                return WriteFloat(ref writer, type.Kind, number, Quote(text));
            case CatalogTypeKind.Decimal when decimal.TryParse(text, NumberStyles.Float, invariant, out decimal money):
                ValueCodec.WriteDecimal(ref writer, money);
                return null;
            case CatalogTypeKind.Guid when Guid.TryParse(text, out Guid guid):
                ValueCodec.WriteGuid(ref writer, guid);
                return null;
            case CatalogTypeKind.DateTime when _options.ExactValues ? JsonValueText.TryParseExactDateTime(text, out DateTime dateTime) : JsonValueText.TryParseDateTime(text, out dateTime):
                ValueCodec.WriteDateTime(ref writer, dateTime);
                return null;
            case CatalogTypeKind.DateTimeOffset when JsonValueText.TryParseDateTimeOffset(text, out DateTimeOffset instant):
                ValueCodec.WriteDateTimeOffset(ref writer, instant);
                return null;
            case CatalogTypeKind.DateOnly when JsonValueText.TryParseDateOnly(text, out DateOnly date):
                ValueCodec.WriteDateOnly(ref writer, date);
                return null;
            case CatalogTypeKind.TimeOnly when JsonValueText.TryParseTimeOnly(text, out TimeOnly time):
                ValueCodec.WriteTimeOnly(ref writer, time);
                return null;
            case CatalogTypeKind.TimeSpan when JsonValueText.TryParseTimeSpan(text, out TimeSpan duration):
                ValueCodec.WriteTimeSpan(ref writer, duration);
                return null;
            case CatalogTypeKind.Bytes when JsonValueText.TryParseBase64(text, out byte[] bytes):
                writer.Write(bytes);
                return null;
            case CatalogTypeKind.Named when type.Enum is { } enumPlan:
                if (enumPlan.TryParse(text, out long member) is { } problem)
                {
                    return problem;
                }

                WriteEnum(ref writer, enumPlan, member);
                return null;
            default:
                return Expected(type, Quote(text));
        }
    }

    /// <summary>Writes a value given as a JSON number; returns the problem, or null once written.</summary>
    private string? WriteNumber(ref MessagePackWriter writer, JsonElement number, JsonValuePlan type)
    {
        switch (type.Kind)
        {
            case CatalogTypeKind.Nullable:
                return WriteNumber(ref writer, number, type.Element!);
            case CatalogTypeKind.Char when number.TryGetUInt16(out ushort unit):
                // A UTF-16 code unit: how an export writes half of a surrogate pair, which no JSON text holds.
                ValueCodec.WriteChar(ref writer, (char)unit);
                return null;
            case var kind when JsonValueRanges.IsInteger(kind):
                if (number.TryGetInt64(out long integer))
                {
                    return WriteInteger(ref writer, kind, integer);
                }

                return number.TryGetDecimal(out decimal whole)
                    ? WriteInteger(ref writer, kind, whole)
                    : $"{Describe(number)} is out of range for {type.DisplayName}";
            case CatalogTypeKind.Single or CatalogTypeKind.Double:
                return number.TryGetDouble(out double real) && double.IsFinite(real)
                    ? WriteFloat(ref writer, type.Kind, real, Describe(number))
                    : $"{Describe(number)} is out of range for {type.DisplayName}";
            case CatalogTypeKind.Decimal:
                if (!number.TryGetDecimal(out decimal money))
                {
                    return $"{Describe(number)} is out of range for decimal";
                }

                ValueCodec.WriteDecimal(ref writer, money);
                return null;
            case CatalogTypeKind.DateTime or CatalogTypeKind.DateTimeOffset:
                if (TicksOf(number) is not { } sinceEpoch
                    || sinceEpoch > DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks
                    || sinceEpoch < -DateTime.UnixEpoch.Ticks)
                {
                    return $"{Describe(number)} is out of range for {type.DisplayName} as Unix time in {UnitName}";
                }

                var utc = new DateTime(DateTime.UnixEpoch.Ticks + sinceEpoch, DateTimeKind.Utc);
                if (type.Kind == CatalogTypeKind.DateTime)
                {
                    ValueCodec.WriteDateTime(ref writer, utc);
                }
                else
                {
                    ValueCodec.WriteDateTimeOffset(ref writer, new DateTimeOffset(utc));
                }

                return null;
            case CatalogTypeKind.TimeSpan:
                if (TicksOf(number) is not { } ticks)
                {
                    return $"{Describe(number)} is out of range for TimeSpan as {UnitName}";
                }

                ValueCodec.WriteTimeSpan(ref writer, new TimeSpan(ticks));
                return null;
            case CatalogTypeKind.Named when type.Enum is { } enumPlan:
                if (!number.TryGetDecimal(out decimal value))
                {
                    return $"{Describe(number)} is out of range for {type.DisplayName}";
                }

                if (enumPlan.FromNumber(value, out long member) is { } problem)
                {
                    return problem;
                }

                WriteEnum(ref writer, enumPlan, member);
                return null;
            default:
                return Expected(type, Describe(number));
        }
    }

    private string UnitName => _options.TimeNumbers == TimeNumberUnit.Seconds ? "seconds" : "milliseconds";

    /// <summary>A number of the configured unit as ticks, or null when it does not fit a <see cref="long"/>.</summary>
    private long? TicksOf(JsonElement number)
    {
        if (!number.TryGetDecimal(out decimal amount) || Math.Abs(amount) > (decimal)long.MaxValue / _unitTicks)
        {
            return null;
        }

        return (long)decimal.Round(amount * _unitTicks);
    }

    private static string? WriteInteger(ref MessagePackWriter writer, CatalogTypeKind kind, decimal value)
    {
        if (JsonValueRanges.Check(kind, value) is { } problem)
        {
            return problem;
        }

        if (kind is CatalogTypeKind.UInt64)
        {
            writer.Write((ulong)value);
        }
        else
        {
            writer.Write((long)value);
        }

        return null;
    }

    private static string? WriteFloat(ref MessagePackWriter writer, CatalogTypeKind kind, double value, string text)
    {
        if (kind == CatalogTypeKind.Double)
        {
            writer.Write(value);
            return null;
        }

        float single = (float)value;
        if (float.IsInfinity(single) && double.IsFinite(value))
        {
            return $"{text} is out of range for float";
        }

        writer.Write(single);
        return null;
    }

    private static bool TryParseFloat(string text, out double value)
    {
        switch (text.Trim())
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "Infinity":
                value = double.PositiveInfinity;
                return true;
            case "-Infinity":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static void WriteEnum(ref MessagePackWriter writer, JsonEnumPlan plan, long value)
    {
        if (plan.IsUnsigned)
        {
            writer.Write(unchecked((ulong)value));
        }
        else
        {
            writer.Write(value);
        }
    }

    private static string? WriteByteArray(ref MessagePackWriter writer, JsonElement array)
    {
        var bytes = new byte[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetByte(out bytes[i]))
            {
                return $"expected byte[] (base64 text or an array of numbers from 0 to 255), found {Describe(item)} at [{i}]";
            }

            i++;
        }

        writer.Write(bytes);
        return null;
    }

    private static string Expected(JsonValuePlan type, string found)
    {
        CatalogTypeKind kind = Unwrap(type).Kind;
        string? hint = kind switch
        {
            CatalogTypeKind.Boolean => "true or false",
            CatalogTypeKind.Char => "a single character",
            CatalogTypeKind.Guid => "a GUID",
            CatalogTypeKind.DateTime or CatalogTypeKind.DateTimeOffset => "an ISO 8601 date and time, or Unix time as a number",
            CatalogTypeKind.DateOnly => "a date as yyyy-MM-dd",
            CatalogTypeKind.TimeOnly => "a time of day as HH:mm, HH:mm:ss or HH:mm:ss.fffffff",
            CatalogTypeKind.TimeSpan => "a duration as [d.]hh:mm:ss, ISO 8601 such as PT1H30M, or a number",
            CatalogTypeKind.Bytes => "base64 text or an array of numbers from 0 to 255",
            CatalogTypeKind.List or CatalogTypeKind.Set => "an array",
            CatalogTypeKind.Dictionary => "an object",
            CatalogTypeKind.Named when Unwrap(type).Object is not null => "an object",
            CatalogTypeKind.Named => "a member name or a number",
            CatalogTypeKind.String => "a string",
            _ => "a number",
        };
        return $"expected {type.DisplayName} ({hint}), found {found}";
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => Shorten(value.GetRawText()),
    };

    private static string Quote(string text) => $"\"{Shorten(text)}\"";

    private static string Shorten(string text) => text.Length <= QuotedTextLength ? text : string.Concat(text.AsSpan(0, QuotedTextLength), "...");

    /// <summary>Records a problem at the current path, or at its property <paramref name="child"/>.</summary>
    private void Problem(JsonImportErrorKind kind, string? child, string message)
    {
        if (_found++ > _options.MaxErrors)
        {
            return;
        }

        var path = new StringBuilder("$");
        foreach ((string? name, int index) in _path)
        {
            JsonPathText.Append(path, name, index);
        }

        if (child is not null)
        {
            JsonPathText.Append(path, child, -1);
        }

        Problems.Add((kind, path.ToString(), message));
    }
}
