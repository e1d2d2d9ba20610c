namespace Repos.Transfer;

/// <summary>How a bundle is laid out (docs/transfer.md, <i>The bundle</i>).</summary>
public enum BundleFormat
{
    /// <summary>One JSON document (<c>.reposbundle.json</c>): the header, every entity's rows in an array, the checksum.</summary>
    Json,

    /// <summary>
    /// Newline-delimited JSON (<c>.reposbundle.ndjson</c>) for large sets: a header line, one line per row, and a
    /// last line with the counts and the checksum; each line can be read on its own.
    /// </summary>
    NdJson,
}
