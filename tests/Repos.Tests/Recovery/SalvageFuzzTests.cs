using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Repos.Recovery;
using Repos.Storage.Sqlite;
using Xunit.Abstractions;

namespace Repos.Tests.Recovery;

/// <summary>
/// Salvages thousands of damaged copies of one small file and checks every row each salvage counts as recovered
/// against the row that was stored: same entity, same key, same values. Rows may be lost; none may be wrong, and
/// the new file must open with the model (or the salvage must throw <see cref="ReposRecoveryException"/>).
/// </summary>
/// <remarks>
/// The base seed is <see cref="FuzzSeed"/>'s (REPOS_FUZZ_SEED); REPOS_FUZZ_CASE=n replays case n alone and
/// REPOS_FUZZ_CASES=n runs n cases. The source file is written with inserts only, so every version of a row
/// the damaged file still holds is the one stored last.
/// </remarks>
public sealed class SalvageFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultSeed = 93_011;

    private const int DefaultCases = 2_000;

    private const int PageSize = 1024;

    // Records compare their collections by reference: the collections are compared element-wise instead.
    private static readonly List<string> s_noLabels = [];

    private static readonly List<Slot> s_noSlots = [];

    private readonly TempDirectory _folder = new();

    // The copies are small and many, and writing each is mostly waiting for fsync: in memory where there is a
    // memory file system, so the run takes the same time on a busy disk.
    private readonly string _cases = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "repos-salvage-fuzz-" + Guid.NewGuid().ToString("N")) : string.Empty;

    public void Dispose()
    {
        if (_cases.Length > 0 && Directory.Exists(_cases))
        {
            Directory.Delete(_cases, recursive: true);
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task Salvage_OfThousandsOfDamagedCopies_NeverCountsAWrongRowAsRecovered_AndItsFileOpensWithTheModel()
    {
        int seed = FuzzSeed.Get(DefaultSeed);
        Source source = await Source.BuildAsync(_folder.File("source"), seed);
        int? only = Environment.GetEnvironmentVariable("REPOS_FUZZ_CASE") is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
        int cases = Environment.GetEnvironmentVariable("REPOS_FUZZ_CASES") is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : DefaultCases;

        // The undamaged file first: everything comes back, so the checks below cannot pass by losing everything.
        Outcome intact = await RunCaseAsync(source, seed, -1);
        Assert.True(intact.Problem is null && intact.Recovered == source.Rows.Count, $"seed {seed}: the intact file: {intact.Problem ?? intact.Report}");

        var outcomes = new ConcurrentBag<Outcome>();
        var clock = Stopwatch.StartNew();
        IEnumerable<int> indexes = only is { } one ? [one] : Enumerable.Range(0, cases);
        await Parallel.ForEachAsync(indexes, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (index, _) =>
            outcomes.Add(await RunCaseAsync(source, seed, index)));
        clock.Stop();

        var failures = outcomes.Where(o => o.Problem is not null).OrderBy(o => o.Index).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {outcomes.Count} damaged copies in {clock.Elapsed.TotalSeconds:F1} s, {source.Rows.Count} rows each, {source.MainPages} pages + {source.WalFrames} log frames of {PageSize} bytes"));
        foreach (IGrouping<string, Outcome> kind in outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {kind.Key,-16} {kind.Count(),5} copies: {kind.Count(o => o.Refused),4} refused, {kind.Count(o => o.Problem is null && !o.Refused && o.Recovered == source.Rows.Count),5} complete, {kind.Sum(o => (long)o.Recovered),8} rows recovered, {kind.Count(o => o.Problem is not null)} wrong"));
        }

        foreach (IGrouping<string, Outcome> reason in outcomes.Where(o => o.Refused).GroupBy(o => o.Report![..Math.Min(180, o.Report!.Length)]).OrderByDescending(g => g.Count()).Take(6))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  refused {reason.Count(),4}x: {reason.Key}..."));
        }

        if (only is not null)
        {
            output.WriteLine(outcomes.Single().Report ?? "(no report)");
        }

        Assert.True(failures.Count == 0, string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {failures.Count} of {outcomes.Count} salvages went wrong (replay one with REPOS_FUZZ_SEED={seed} REPOS_FUZZ_CASE=n):\n")
            + string.Join("\n", failures.GroupBy(f => f.Class).Select(g => $"  {g.Key}: {g.Count()}"))
            + "\n" + string.Join("\n", failures.Take(12).Select(f => $"case {f.Index} ({f.Kind}: {f.Mutation}): {f.Problem}")));
        Assert.True(outcomes.Sum(o => (long)o.Recovered) > outcomes.Count * (long)source.Rows.Count / 4, $"seed {seed}: salvage recovered too little to be checked");
    }

    private async Task<Outcome> RunCaseAsync(Source source, int seed, int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        string folder = _cases.Length > 0 ? Path.Combine(_cases, $"case-{index}") : _folder.File($"case-{index}");
        Directory.CreateDirectory(folder);
        string damaged = Path.Combine(folder, "damaged.db");
        string salvaged = Path.Combine(folder, "salvaged.db");
        try
        {
            (string kind, string mutation) = index < 0 ? ("none", "intact") : Mutations.Apply(source, random, damaged);
            if (index < 0)
            {
                source.Write(damaged, source.Main, source.Wal);
            }

            SalvageReport report;
            try
            {
                report = await ReposRecovery.SalvageAsync(damaged, salvaged, SalvageFuzzDb.Model);
            }
            catch (ReposRecoveryException e)
            {
                Assert.False(File.Exists(salvaged), $"case {index}: a refused salvage left its file behind");
                return new Outcome(index, kind, mutation) { Refused = true, Report = e.Message };
            }
            catch (Exception e)
            {
                return new Outcome(index, kind, mutation) { Class = "salvage threw " + e.GetType().Name, Problem = $"salvage threw {e}" };
            }

            Outcome outcome = await CheckAsync(source, salvaged, report, new Outcome(index, kind, mutation) { Report = report.ToString() });

            // Keys another version of Repos adds to _repos_meta damage nothing: then every row comes back.
            if (outcome.Problem is null && mutation.StartsWith(Mutations.ExtraMetaKeys, StringComparison.Ordinal) && outcome.Recovered != source.Rows.Count)
            {
                return outcome with { Class = "lost with nothing damaged", Problem = $"only keys were added to _repos_meta, and {source.Rows.Count - outcome.Recovered} rows were lost\n{report}" };
            }

            return outcome;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Opens the salvaged file with the model and compares every row with the one stored.</summary>
    private static async Task<Outcome> CheckAsync(Source source, string path, SalvageReport report, Outcome outcome)
    {
        var read = new Dictionary<string, int>(StringComparer.Ordinal);
        string? Compare(string entity, string key, object row)
        {
            read[entity] = read.GetValueOrDefault(entity) + 1;
            if (!source.Rows.TryGetValue((entity, key), out object? stored))
            {
                bool elsewhere = source.Rows.Keys.Any(k => k.Key == key && k.Entity != entity);
                return elsewhere
                    ? $"foreign row: {entity} {key} was recovered, and only another entity stored that key"
                    : $"foreign row: {entity} {key} was recovered and never stored";
            }

            return Same(stored, row) ? null : $"wrong values: {entity} {key} was recovered as {Describe(row)}, stored as {Describe(stored)}";
        }

        try
        {
            await using SalvageFuzzDb db = await SalvageFuzzDb.OpenAsync(path);
            var problems = new List<string>();
            void Check(string entity, string key, object row)
            {
                if (Compare(entity, key, row) is { } problem)
                {
                    problems.Add(problem);
                }
            }

            await foreach (Crate row in db.Crates.All())
            {
                Check("Crate", row.Id.ToString(CultureInfo.InvariantCulture), row);
            }

            await foreach (Parcel row in db.Parcels.All())
            {
                Check("Parcel", row.Id.ToString(CultureInfo.InvariantCulture), row);
            }

            await foreach (Shelf row in db.Shelfs.All())
            {
                Check("Shelf", row.Id.ToString(CultureInfo.InvariantCulture), row);
            }

            await foreach (Label row in db.Labels.All())
            {
                Check("Label", row.Code, row);
            }

            if (problems.Count > 0)
            {
                return outcome with { Class = problems[0][..problems[0].IndexOf(':', StringComparison.Ordinal)], Problem = $"{problems.Count} rows: {problems[0]}\n{report}", Recovered = read.Values.Sum() };
            }

            foreach (SalvagedEntity entity in report.Entities)
            {
                if (entity.RowsRecovered != read.GetValueOrDefault(entity.Entity))
                {
                    return outcome with { Class = "recovered count", Problem = $"the report counts {entity.RowsRecovered} {entity.Entity} rows recovered, the file holds {read.GetValueOrDefault(entity.Entity)}\n{report}" };
                }
            }

            if (report.RowsRecovered != read.Values.Sum())
            {
                return outcome with { Class = "recovered count", Problem = $"the report counts {report.RowsRecovered} rows recovered, the file holds {read.Values.Sum()}\n{report}" };
            }

            return outcome with { Recovered = read.Values.Sum() };
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return outcome with { Class = "does not open: " + e.GetType().Name, Problem = $"the salvaged file does not open or read with the model: {e.GetType().Name}: {e.Message}\n{report}" };
        }
    }

    private static bool Same(object stored, object read) => (stored, read) switch
    {
        (Crate a, Crate b) => a with { Labels = s_noLabels } == b with { Labels = s_noLabels } && a.Labels.SequenceEqual(b.Labels),
        (Shelf a, Shelf b) => a with { Slots = s_noSlots } == b with { Slots = s_noSlots } && a.Slots.SequenceEqual(b.Slots),
        _ => stored.Equals(read),
    };

    private static string Describe(object row) => row switch
    {
        Crate c => $"{c} [{string.Join(", ", c.Labels)}]",
        Shelf s => $"{s} [{string.Join(", ", s.Slots)}]",
        _ => row.ToString()!,
    };

    /// <summary>One salvage of one damaged copy.</summary>
    private sealed record Outcome(int Index, string Kind, string Mutation)
    {
        public bool Refused { get; init; }

        public int Recovered { get; init; }

        public string? Class { get; init; }

        public string? Problem { get; init; }

        public string? Report { get; init; }
    }

    /// <summary>The valid file every case damages a copy of, and the rows it holds.</summary>
    internal sealed class Source
    {
        public required byte[] Main { get; init; }

        public required byte[] Wal { get; init; }

        public required Dictionary<(string Entity, string Key), object> Rows { get; init; }

        /// <summary>The type of each page (its b-tree flag byte), by page number from 1.</summary>
        public required byte[] PageTypes { get; init; }

        /// <summary>The root pages of the catalog tables, by name.</summary>
        public required Dictionary<string, int> Roots { get; init; }

        /// <summary>The rows of <c>_repos_fields</c>: type, id, name, clr_type.</summary>
        public required List<(string Type, long Id, string Name, string ClrType)> Fields { get; init; }

        public required List<string> Entities { get; init; }

        public int MainPages => Main.Length / PageSize;

        public int WalFrames => Wal.Length <= 32 ? 0 : (Wal.Length - 32) / (PageSize + 24);

        public void Write(string path, byte[] main, byte[]? wal)
        {
            File.WriteAllBytes(path, main);
            if (wal is { Length: > 0 })
            {
                File.WriteAllBytes(path + "-wal", wal);
            }
        }

        public static async Task<Source> BuildAsync(string folder, int seed)
        {
            Directory.CreateDirectory(folder);
            var random = new Random(seed);
            string path = Path.Combine(folder, "source.db");
            using (SqliteConnection create = SqliteConnection.Open(path, readOnly: false, create: true))
            {
                create.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA page_size={PageSize}"));
                create.Execute("PRAGMA journal_mode=WAL");
            }

            string[] origins = ["north", "south", "east", "west", ""];
            var crates = Enumerable.Range(1, 160).Select(i => new Crate
            {
                Id = i,
                Name = $"crate {i}",
                Count = random.Next(0, 50),
                Origin = origins[random.Next(origins.Length)],
                Labels = Enumerable.Range(0, random.Next(4)).Select(l => $"l{random.Next(100)}").ToList(),
            }).ToList();
            var parcels = Enumerable.Range(1, 160).Select(i => new Parcel { Id = i, Name = $"parcel {i}", Count = random.Next(0, 50) }).ToList();
            var shelves = Enumerable.Range(1, 110).Select(i => new Shelf
            {
                Id = i,
                Name = $"shelf {i}",
                Weight = Math.Round(random.NextDouble() * 100, 2),
                Since = random.Next(3) == 0 ? null : new DateOnly(2020, 1, 1).AddDays(random.Next(2000)),
                Slots = Enumerable.Range(0, random.Next(3)).Select(s => new Slot($"s{s}", random.Next(10))).ToList(),
            }).ToList();
            var labels = Enumerable.Range(1, 150).Select(i => new Label { Code = $"L{i:000}", Name = $"label {i}", Count = random.Next(0, 50) }).ToList();

            var rows = new Dictionary<(string, string), object>();
            crates.ForEach(r => rows.Add(("Crate", r.Id.ToString(CultureInfo.InvariantCulture)), r));
            parcels.ForEach(r => rows.Add(("Parcel", r.Id.ToString(CultureInfo.InvariantCulture)), r));
            shelves.ForEach(r => rows.Add(("Shelf", r.Id.ToString(CultureInfo.InvariantCulture)), r));
            labels.ForEach(r => rows.Add(("Label", r.Code), r));

            string copy = Path.Combine(folder, "base.db");
            await using (SalvageFuzzDb db = await SalvageFuzzDb.OpenAsync(path))
            {
                // Most rows in the main file, interleaved so the tables' pages are mixed through it...
                for (int part = 0; part < 4; part++)
                {
                    await db.Crates.InsertManyAsync(crates.Skip(part * 30).Take(30));
                    await db.Parcels.InsertManyAsync(parcels.Skip(part * 30).Take(30));
                    await db.Shelfs.InsertManyAsync(shelves.Skip(part * 22).Take(22));
                    await db.Labels.InsertManyAsync(labels.Skip(part * 28).Take(28));
                }

                using (SqliteConnection checkpoint = SqliteConnection.Open(path, readOnly: false, create: false))
                {
                    checkpoint.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }

                // ...and the rest in committed transactions still in the write-ahead log.
                for (int part = 0; part < 8; part++)
                {
                    await db.Crates.InsertManyAsync(crates.Skip(120 + (part * 5)).Take(5));
                    await db.Parcels.InsertManyAsync(parcels.Skip(120 + (part * 5)).Take(5));
                    await db.Shelfs.InsertManyAsync(shelves.Skip(88 + (part * 3)).Take(3));
                    await db.Labels.InsertManyAsync(labels.Skip(112 + (part * 5)).Take(5));
                }

                File.Copy(path, copy);
                File.Copy(path + "-wal", copy + "-wal");
            }

            byte[] main = File.ReadAllBytes(copy);
            byte[] wal = File.ReadAllBytes(copy + "-wal");
            Assert.Equal(PageSize, BinaryPrimitives.ReadUInt16BigEndian(main.AsSpan(16)));
            Assert.True(wal.Length > 32 + (4 * (PageSize + 24)), "the source's write-ahead log holds no transactions");

            // Read the catalog and the roots through SQLite, from a copy that then goes.
            string probe = Path.Combine(folder, "probe.db");
            File.Copy(copy, probe);
            File.Copy(copy + "-wal", probe + "-wal");
            var roots = new Dictionary<string, int>(StringComparer.Ordinal);
            var fields = new List<(string, long, string, string)>();
            var entities = new List<string>();
            using (SqliteConnection connection = SqliteConnection.Open(probe, readOnly: false, create: false))
            {
                Assert.Equal(0, connection.ExecuteScalar("PRAGMA freelist_count"));
                using (SqliteStatement select = connection.PrepareOnce("SELECT name, rootpage FROM sqlite_schema WHERE type = 'table'"))
                {
                    while (select.Step())
                    {
                        roots[select.ColumnText(0)] = (int)select.ColumnInt64(1);
                    }
                }

                using (SqliteStatement select = connection.PrepareOnce("SELECT type, id, name, clr_type FROM _repos_fields ORDER BY type, id"))
                {
                    while (select.Step())
                    {
                        fields.Add((select.ColumnText(0), select.ColumnInt64(1), select.ColumnText(2), select.ColumnText(3)));
                    }
                }

                using (SqliteStatement select = connection.PrepareOnce("SELECT entity FROM _repos_entities ORDER BY entity"))
                {
                    while (select.Step())
                    {
                        entities.Add(select.ColumnText(0));
                    }
                }
            }

            var types = new byte[(main.Length / PageSize) + 1];
            for (int page = 1; page < types.Length; page++)
            {
                types[page] = main[((page - 1) * PageSize) + (page == 1 ? 100 : 0)];
            }

            return new Source { Main = main, Wal = wal, Rows = rows, PageTypes = types, Roots = roots, Fields = fields, Entities = entities };
        }
    }

    /// <summary>The kinds of damage, each applied to a fresh copy of the source.</summary>
    private static class Mutations
    {
        public const string ExtraMetaKeys = "INSERT INTO _repos_meta(key, value) VALUES('replica_blob', randomblob(48)), ('replica_text', 'c0ffee'), ('replica_number', 7)";

        public static (string Kind, string Mutation) Apply(Source source, Random random, string path)
        {
            byte[] main = (byte[])source.Main.Clone();
            byte[] wal = (byte[])source.Wal.Clone();
            int roll = random.Next(100);
            (string kind, string mutation) = roll switch
            {
                < 18 => ("bit flips", FlipBits(random, main, 0, main.Length, random.Next(1, 7))),
                < 28 => ("catalog bytes", FlipCatalog(source, random, main)),
                < 40 => ("zeroed pages", ZeroPages(source, random, main, random.Next(1, 4))),
                < 56 => ("swapped pages", SwapPages(source, random, main, random.Next(1, 3))),
                < 64 => ("truncation", Truncate(random, ref main, ref wal)),
                < 74 => ("wal", DamageWal(random, ref wal)),
                < 95 => ("catalog rows", string.Empty),
                _ => ("mixed", $"{ZeroPages(source, random, main, 1)}; {SwapPages(source, random, main, 1)}; {FlipBits(random, main, 0, main.Length, 2)}"),
            };

            source.Write(path, main, wal);
            if (kind == "catalog rows")
            {
                mutation = DamageCatalogRows(source, random, path);
            }

            return (kind, mutation);
        }

        private static string FlipBits(Random random, byte[] bytes, int from, int to, int count)
        {
            var at = new List<string>();
            for (int i = 0; i < count && to > from; i++)
            {
                int offset = random.Next(from, to);
                bytes[offset] ^= (byte)(1 << random.Next(8));
                at.Add(offset.ToString(CultureInfo.InvariantCulture));
            }

            return "flipped bits at " + string.Join(",", at);
        }

        private static string FlipCatalog(Source source, Random random, byte[] main)
        {
            string[] tables = ["_repos_fields", "_repos_fields", "_repos_entities", "_repos_meta"];
            string table = tables[random.Next(tables.Length)];
            int page = source.Roots[table];
            int start = (page - 1) * PageSize;

            // Somewhere in the cells (the content area runs from the header's offset to the end of the page).
            int content = BinaryPrimitives.ReadUInt16BigEndian(main.AsSpan(start + (page == 1 ? 105 : 5)));
            return $"{table} page {page}: " + FlipBits(random, main, start + Math.Min(content, PageSize - 1), start + PageSize, random.Next(1, 3));
        }

        private static string ZeroPages(Source source, Random random, byte[] main, int count)
        {
            var pages = new List<int>();
            for (int i = 0; i < count; i++)
            {
                int page = random.Next(1, source.MainPages + 1);
                main.AsSpan((page - 1) * PageSize, PageSize).Clear();
                pages.Add(page);
            }

            return "zeroed pages " + string.Join(",", pages);
        }

        private static string SwapPages(Source source, Random random, byte[] main, int count)
        {
            var leaves = Enumerable.Range(2, source.MainPages - 1).Where(p => source.PageTypes[p] == 0x0D).ToArray();
            var swaps = new List<string>();
            for (int i = 0; i < count; i++)
            {
                // Mostly two table leaves (of different tables or not), else any two pages.
                bool leavesOnly = random.Next(3) > 0 && leaves.Length >= 2;
                int a = leavesOnly ? leaves[random.Next(leaves.Length)] : random.Next(1, source.MainPages + 1);
                int b = leavesOnly ? leaves[random.Next(leaves.Length)] : random.Next(1, source.MainPages + 1);
                byte[] page = main.AsSpan((a - 1) * PageSize, PageSize).ToArray();
                main.AsSpan((b - 1) * PageSize, PageSize).CopyTo(main.AsSpan((a - 1) * PageSize));
                page.CopyTo(main.AsSpan((b - 1) * PageSize));
                swaps.Add($"{a}<->{b}");
            }

            return "swapped pages " + string.Join(",", swaps);
        }

        private static string Truncate(Random random, ref byte[] main, ref byte[] wal)
        {
            if (random.Next(4) == 0)
            {
                int walCut = random.Next(0, wal.Length);
                wal = wal[..walCut];
                return $"log cut at {walCut}";
            }

            int cut = random.Next(PageSize, main.Length);
            if (random.Next(2) == 0)
            {
                cut -= cut % PageSize;
            }

            main = main[..cut];
            return $"file cut at {cut}";
        }

        private static string DamageWal(Random random, ref byte[] wal)
        {
            int frames = (wal.Length - 32) / (PageSize + 24);
            switch (random.Next(3))
            {
                case 0:
                    return "log: " + FlipBits(random, wal, 0, wal.Length, random.Next(1, 4));
                case 1:
                    int frame = random.Next(frames);
                    wal.AsSpan(32 + (frame * (PageSize + 24)) + 24, PageSize).Clear();
                    return $"log: frame {frame} zeroed";
                default:
                    int a = random.Next(frames);
                    int b = random.Next(frames);
                    byte[] page = wal.AsSpan(32 + (a * (PageSize + 24)) + 24, PageSize).ToArray();
                    wal.AsSpan(32 + (b * (PageSize + 24)) + 24, PageSize).CopyTo(wal.AsSpan(32 + (a * (PageSize + 24)) + 24));
                    page.CopyTo(wal.AsSpan(32 + (b * (PageSize + 24)) + 24));
                    return $"log: frames {a}<->{b} swapped";
            }
        }

        /// <summary>Changes the catalog through SQLite, as a buggy tool or a careless hand would.</summary>
        private static string DamageCatalogRows(Source source, Random random, string path)
        {
            (string type, long id, string name, string clrType) = source.Fields[random.Next(source.Fields.Count)];
            List<(string Type, long Id, string Name, string ClrType)> sameType = source.Fields.Where(f => f.Type == type).ToList();
            long next = sameType.Max(f => f.Id) + 1 + random.Next(3);
            string entity = source.Entities[random.Next(source.Entities.Count)];
            string q(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
            string where = $"type={q(type)} AND id={id}";
            string sql = random.Next(15) switch
            {
                0 => $"UPDATE _repos_fields SET id={next} WHERE {where}",
                1 => $"DELETE FROM _repos_fields WHERE {where}",
                2 => $"INSERT INTO _repos_fields(type, id, name, clr_type, retired) VALUES({q(type)}, {next}, {q(name)}, {q(clrType)}, 0)",
                3 => $"UPDATE _repos_fields SET name={q(name + "x")} WHERE {where}",
                4 => $"UPDATE _repos_fields SET name={q(sameType[random.Next(sameType.Count)].Name)} WHERE {where}",
                5 => $"UPDATE _repos_fields SET clr_type={q(clrType == "long" ? "string" : "long")} WHERE {where}",
                6 => $"UPDATE _repos_fields SET retired=1 WHERE {where}",
                7 => $"UPDATE _repos_fields SET type={q(source.Fields[random.Next(source.Fields.Count)].Type)}, id={next + 10} WHERE {where}",
                8 => $"UPDATE _repos_entities SET version={random.Next(3) * 2} WHERE entity={q(entity)}",
                9 => $"UPDATE _repos_entities SET table_name=table_name || 'x' WHERE entity={q(entity)}",
                10 => $"UPDATE _repos_entities SET key_kind=CASE key_kind WHEN 'Integer' THEN 'Text' ELSE 'Integer' END WHERE entity={q(entity)}",
                11 => $"UPDATE _repos_entities SET type=type || 'x' WHERE entity={q(entity)}",
                12 => $"DELETE FROM _repos_entities WHERE entity={q(entity)}",
                13 => random.Next(6) switch
                {
                    0 => "DELETE FROM _repos_meta WHERE key='format'",
                    1 => $"UPDATE _repos_meta SET value={Repos.Storage.Catalog.FormatVersion + 1} WHERE key='format'",
                    2 => "INSERT INTO _repos_meta(key, value) VALUES('database_version', 3)",

                    // The catalog's seal: its copy or digest damaged, or both gone, with or without a field record.
                    3 => "UPDATE _repos_meta SET value=randomblob(length(value)) WHERE key='catalog'",
                    4 => "UPDATE _repos_meta SET value=zeroblob(32) WHERE key='catalog_sha256'",
                    _ => $"DELETE FROM _repos_meta WHERE key IN ('catalog', 'catalog_sha256'); DELETE FROM _repos_fields WHERE {where}",
                },
                _ => string.Empty,
            };

            // Keys another version of Repos may add to _repos_meta, text and blob: never a reason to lose anything.
            string extra = sql.Length == 0 || random.Next(4) == 0
                ? ExtraMetaKeys
                : string.Empty;
            using (SqliteConnection connection = SqliteConnection.Open(path, readOnly: false, create: false))
            {
                foreach (string statement in new[] { sql, extra }.Where(s => s.Length > 0))
                {
                    connection.Execute(statement);
                }
            }

            return string.Join("; ", new[] { sql, extra }.Where(s => s.Length > 0));
        }
    }
}
