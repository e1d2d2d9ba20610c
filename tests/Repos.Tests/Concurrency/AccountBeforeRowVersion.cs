using Repos.Internal;
using Repos.Serialization;

namespace Repos.Tests.Concurrency;

// The Account entity as an earlier version of the app had it, before it had a row version: same entity, same
// stored type name, written by hand as the generator writes it, so both models can share one file.
public sealed record AccountV0
{
    public Guid Id { get; init; }

    public required string Owner { get; init; }

    public long Balance { get; init; }
}

internal sealed class AccountV0Definition : EntityDefinition<AccountV0, Guid>
{
    public static readonly TypeShape AccountShape = new(
        "Repos.Tests.Concurrency.Account",
        new FieldDefinition("Id", "System.Guid"),
        new FieldDefinition("Owner", "string"),
        new FieldDefinition("Balance", "long"));

    public static readonly AccountV0Definition Instance = new();

    private AccountV0Definition()
        : base("Account", "Account", 1, "Id", ColumnKind.Blob, AccountShape, [], [], [])
    {
    }

    public override Guid GetKey(AccountV0 entity) => entity.Id;

    public override ColumnValue GetKeyColumn(Guid key) => ColumnValue.From(key);

    public override void GetIndexColumns(AccountV0 entity, Span<ColumnValue> values)
    {
    }

    public override void Write(ref MessagePackWriter writer, AccountV0 entity, SerializationContext context)
    {
        int[] ids = context.GetFieldMap(AccountShape).Ids;
        writer.WriteMapHeader(3);
        writer.Write(ids[0]);
        ValueCodec.WriteGuid(ref writer, entity.Id);
        writer.Write(ids[1]);
        writer.Write(entity.Owner);
        writer.Write(ids[2]);
        writer.Write(entity.Balance);
    }

    public override AccountV0 Read(ref MessagePackReader reader, SerializationContext context)
    {
        FieldMap map = context.GetFieldMap(AccountShape);
        Guid id = default;
        string owner = string.Empty;
        long balance = 0;
        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            switch (map.OrdinalOf(reader.ReadInt64()))
            {
                case 0: id = ValueCodec.ReadGuid(ref reader); break;
                case 1: owner = ValueCodec.ReadRequiredString(ref reader); break;
                case 2: balance = reader.ReadInt64(); break;
                default: reader.Skip(); break;
            }
        }

        return new AccountV0 { Id = id, Owner = owner, Balance = balance };
    }
}

public sealed class AccountV0Repository : Repository<AccountV0, Guid>
{
    internal AccountV0Repository(ReposDatabase database)
        : base(database, AccountV0Definition.Instance)
    {
    }
}

public sealed class LedgerDbV0 : ReposDatabase
{
    private LedgerDbV0()
    {
    }

    public AccountV0Repository Accounts { get; private set; } = null!;

    public static async ValueTask<LedgerDbV0> OpenAsync(string path)
    {
        var database = new LedgerDbV0();
        await database.OpenCoreAsync(path, null, [AccountV0Definition.Instance], CancellationToken.None);
        database.Accounts = new AccountV0Repository(database);
        return database;
    }
}
