using System.Buffers;
using Repos.Internal;
using Repos.Migrations;
using Repos.Serialization;

namespace Repos.Tests.Storage;

/// <summary>
/// A stored row as migration steps see it, read straight from a payload: which fields it has, what it keeps
/// when a name comes twice, and what each change does to the fields written back.
/// </summary>
public sealed class StoredRowTests
{
    // Ids 1 to 4 are live; 5 is a retired field that had the name "B" before 2 took it; 9 is not in the catalog.
    private static readonly MigrationContext Catalog = new(
        new Dictionary<long, string> { [1] = "A", [2] = "B", [3] = "C", [4] = "D", [5] = "B" },
        new Dictionary<string, int> { ["A"] = 1, ["B"] = 2, ["C"] = 3, ["D"] = 4 },
        null,
        null);

    private static byte[] Payload(params (long Id, object? Value)[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(fields.Length);
        foreach ((long id, object? value) in fields)
        {
            writer.Write(id);
            switch (value)
            {
                case null: writer.WriteNil(); break;
                case int i: writer.Write(i); break;
                case string s: writer.Write(s); break;
                case int[] list:
                    writer.WriteArrayHeader(list.Length);
                    foreach (int item in list)
                    {
                        writer.Write(item);
                    }

                    break;
                default: throw new ArgumentException(value.GetType().Name);
            }
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static StoredRow Read(byte[] payload) => StoredRow.Read("Thing", ColumnValue.From(42L), 1, payload, Catalog);

    private static List<string> Written(StoredRow row) => [.. row.Fields.ToArray().Select(f => f.Name)];

    [Fact]
    public void Read_KeepsFieldsInStoredOrder_AndSkipsIdsTheCatalogDoesNotName()
    {
        StoredRow row = Read(Payload((3, "c"), (9, 99), (1, 1), (4, null)));

        Assert.Equal(["C", "A", "D"], row.FieldNames);
        Assert.Equal("c", row.Get<string>("C"));
        Assert.Equal(1, row.Get<int>("A"));
        Assert.Null(row.Get<string?>("D"));
        Assert.False(row.Has("B"));
    }

    [Fact]
    public void Read_OfANameStoredTwice_KeepsTheValueStoredLast()
    {
        // The same id twice, and a retired id under a live field's name.
        StoredRow row = Read(Payload((1, 1), (2, "old"), (1, 7), (5, "retired")));

        Assert.Equal(["A", "B"], row.FieldNames);
        Assert.Equal(7, row.Get<int>("A"));
        Assert.Equal("retired", row.Get<string>("B"));
    }

    [Fact]
    public void SetRemoveAndRename_ChangeOnlyTheFieldsNamed()
    {
        StoredRow row = Read(Payload((1, 1), (2, "b"), (3, "c")));

        row.Set("A", 10);
        row.Set("D", "new");
        row.Remove("B");
        row.Remove("missing");
        Assert.Equal(["A", "C", "D"], Written(row));
        Assert.Equal(10, row.Get<int>("A"));

        // Renaming onto a field that exists replaces its value.
        row.Rename("C", "A");
        Assert.Equal(["A", "D"], Written(row));
        Assert.Equal("c", row.Get<string>("A"));
        KeyNotFoundException missing = Assert.Throws<KeyNotFoundException>(() => row.Rename("C", "E"));
        Assert.Contains("Thing 42 has no field C", missing.Message);
        Assert.Throws<KeyNotFoundException>(() => row.Get<int>("C"));
        Assert.Equal(-1, row.GetOrDefault("C", -1));
    }

    [Fact]
    public void Split_CopiesTheFields_AndChangesToEitherLeaveTheOtherAlone()
    {
        StoredRow row = Read(Payload((1, 1), (2, "b")));

        StoredRow copy = row.Split();
        copy.Set("A", 2);
        copy.Remove("B");
        row.Set("C", "c");

        Assert.Equal(["A", "B", "C"], Written(row));
        Assert.Equal(1, row.Get<int>("A"));
        Assert.Equal(["A"], Written(copy));
        Assert.Equal(2, copy.Get<int>("A"));
        Assert.Equal("42 (split)", copy.Key);
    }

    [Fact]
    public void Values_OfEverySettableType_ReadBackAsSet()
    {
        StoredRow row = Read(Payload());
        var guid = Guid.NewGuid();
        var time = new DateTime(2026, 12, 3, 10, 20, 30, DateTimeKind.Utc).AddTicks(1234);
        var offset = new DateTimeOffset(2026, 12, 3, 10, 20, 30, TimeSpan.FromHours(-5));

        void RoundTrip<T>(T value)
        {
            row.Set("A", value);
            Assert.Equal(value, row.Get<T>("A"));
        }

        RoundTrip(true);
        RoundTrip(int.MinValue);
        RoundTrip(long.MaxValue);
        RoundTrip((short)-12);
        RoundTrip((byte)200);
        RoundTrip(uint.MaxValue);
        RoundTrip(ulong.MaxValue);
        RoundTrip(Math.PI);
        RoundTrip(1.5f);
        RoundTrip("text ✓");
        RoundTrip(new byte[] { 1, 2, 3 });
        RoundTrip(guid);
        RoundTrip(time);
        RoundTrip(offset);
        RoundTrip(new DateOnly(2026, 12, 3));
        RoundTrip(new TimeOnly(23, 59, 59));
        RoundTrip(TimeSpan.FromMilliseconds(-1234.5));
        RoundTrip(79228162514264337593543950335m);
        RoundTrip<int?>(5);
        RoundTrip<int?>(null);
        RoundTrip<Guid?>(guid);
        RoundTrip<string?>(null);
        Assert.Throws<NotSupportedException>(() => row.Set("A", new object()));
    }

    [Fact]
    public void GetList_ReadsAListOfValues_AndNilAsEmpty()
    {
        StoredRow row = Read(Payload((1, new[] { 3, 1, 2 }), (2, null)));

        Assert.Equal([3, 1, 2], row.GetList<int>("A"));
        Assert.Empty(row.GetList<int>("B"));
    }

    [Fact]
    public void Key_IsShownAsTheStoredColumnIs()
    {
        var guid = Guid.NewGuid();
        Assert.Equal(guid.ToString(), StoredRow.Read("Thing", ColumnValue.From(guid), 1, Payload(), Catalog).Key);
        Assert.Equal("'k'", StoredRow.Read("Thing", ColumnValue.From("k"), 1, Payload(), Catalog).Key);
        Assert.Equal("-7", StoredRow.Read("Thing", ColumnValue.From(-7L), 1, Payload(), Catalog).Key);
        Assert.Equal("0102", StoredRow.Read("Thing", ColumnValue.From(new byte[] { 1, 2 }), 1, Payload(), Catalog).Key);
    }
}
