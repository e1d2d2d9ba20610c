using System.ComponentModel;
using Repos.Internal;
using Repos.Querying;

namespace Repos;

public abstract partial class Repository<TEntity, TKey>
{
    /// <summary>
    /// Starts a query on index <paramref name="index"/> with equality on its first columns and a range
    /// possible on the next; generated <c>By...</c> methods call this.
    /// </summary>
    /// <param name="index">The index's position in the entity definition.</param>
    /// <param name="prefix">The values of the first columns, in order.</param>
    /// <param name="encode">Encodes a value of the next column (the one a range applies to).</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected IndexQuery<TEntity, TKey, TRange> QueryIndex<TRange>(int index, ColumnValue[] prefix, Func<TRange, ColumnValue> encode)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(encode);
        IndexDefinition definition = _definition.Indexes[index];
        if (prefix.Length >= definition.Columns.Length)
        {
            throw new ArgumentException($"A range query on {definition.Name} needs fewer than {definition.Columns.Length} equality values.", nameof(prefix));
        }

        return new(QueryState<TEntity, TKey>.Create(this, definition, prefix), encode);
    }

    /// <summary>
    /// Starts a query on index <paramref name="index"/> with equality on all its columns; generated
    /// <c>By...</c> methods call this.
    /// </summary>
    /// <param name="index">The index's position in the entity definition.</param>
    /// <param name="values">The values of every column, in order.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected IndexQuery<TEntity, TKey> QueryIndex(int index, ColumnValue[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        IndexDefinition definition = _definition.Indexes[index];
        if (values.Length != definition.Columns.Length)
        {
            throw new ArgumentException($"An equality query on {definition.Name} needs {definition.Columns.Length} values.", nameof(values));
        }

        return new(QueryState<TEntity, TKey>.Create(this, definition, values));
    }
}
