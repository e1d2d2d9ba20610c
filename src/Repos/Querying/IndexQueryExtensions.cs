using System.Text;
using Repos.Internal;

namespace Repos.Querying;

/// <summary>Range operators for index columns of particular types.</summary>
public static class IndexQueryExtensions
{
    /// <summary>
    /// Keeps the results whose string range column starts with <paramref name="prefix"/> (ordinal,
    /// case-sensitive; on an index that ignores case, the folded prefix of the folded values), using the index.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="prefix">The prefix; an empty prefix keeps every non-null value.</param>
    public static IndexQuery<TEntity, TKey, string> StartsWith<TEntity, TKey>(this IndexQuery<TEntity, TKey, string> query, string prefix)
        where TEntity : class
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // The prefix as the column stores it (folded to upper case when the index ignores case).
        ColumnValue lower = query.Encode(prefix);
        prefix = lower.Text ?? prefix;
        QueryState<TEntity, TKey> state = query.State with { Lower = Bound.Including(lower) };

        // Text compares as UTF-8 bytes: every string that starts with the prefix sorts below the prefix with
        // its last byte raised by one (UTF-8 has no 0xFF byte, so trailing 0xF4..0xFE bytes are dropped
        // and the one before raised instead).
        byte[] upper = Encoding.UTF8.GetBytes(prefix);
        int length = upper.Length;
        while (length > 0 && upper[length - 1] == 0xFF)
        {
            length--;
        }

        if (length > 0)
        {
            upper[length - 1]++;
            state = state with { Upper = Bound.Excluding(ColumnValue.FromUtf8(upper.AsSpan(0, length).ToArray())) };
        }

        return new IndexQuery<TEntity, TKey, string>(state, query.Encode);
    }
}
