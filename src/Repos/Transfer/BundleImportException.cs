using System.Text;

namespace Repos.Transfer;

/// <summary>
/// A bundle's rows were checked and some cannot be imported (they do not convert, break the entity's rules, or
/// conflict with stored rows under <see cref="BundleImportStrategy.FailOnConflict"/>), so nothing was written.
/// <see cref="Preview"/> says what was found, <see cref="BundleImportResult.Problems"/> where.
/// </summary>
public sealed class BundleImportException : ReposException
{
    /// <summary>Creates the exception for what the check found.</summary>
    public BundleImportException(BundleImportResult preview)
        : base(BuildMessage(preview))
    {
        Preview = preview;
    }

    /// <summary>What the check found, as a dry run would report it.</summary>
    public BundleImportResult Preview { get; }

    private static string BuildMessage(BundleImportResult preview)
    {
        var message = new StringBuilder("The bundle cannot be imported, so nothing was written: ");
        message.AppendJoin("; ", preview.Entities.Where(e => e.Invalid > 0 || (e.Conflicting > 0 && preview.Strategy == BundleImportStrategy.FailOnConflict))
            .Select(e => $"{e.Name} has {e.Invalid} invalid and {e.Conflicting} conflicting of {e.Rows} rows"));
        message.Append('.');
        foreach (BundleImportProblem problem in preview.Problems.Take(10))
        {
            message.AppendLine().Append("  ").Append(problem);
        }

        return message.ToString();
    }
}
