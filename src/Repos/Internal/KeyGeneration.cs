using System.ComponentModel;

namespace Repos.Internal;

/// <summary>
/// Who gives a new entity its key: the app, or Repos on insert (the key property marked
/// <c>[Key, DatabaseGenerated(DatabaseGeneratedOption.Identity)]</c>). Recorded in the catalog too, so that a
/// tool, or sync, can tell a file's keys are local numbers.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum KeyGeneration
{
    /// <summary>The app gives every key.</summary>
    None,

    /// <summary>
    /// An <c>int</c> or <c>long</c> key left 0 is given the next number of the entity's counter, which the file
    /// keeps and which never goes back: a number is never given twice, even after its row is deleted. Such keys
    /// are local to the file (two files give the same numbers to different entities).
    /// </summary>
    Sequence,

    /// <summary>A <c>Guid</c> key left <see cref="Guid.Empty"/> is given a new version 7 GUID (time-ordered, unique everywhere).</summary>
    GuidVersion7,
}
