using System.ComponentModel.DataAnnotations;

// The same chore, as two versions of an app have it: the second added properties with initializers, a property
// with an initializer to a nested type, and a positional record parameter with a default value.
namespace Repos.Tests.Generated.DefaultsV1
{
    [Entity]
    public partial record Chore
    {
        [Key] public int Id { get; init; }
        public string Title { get; init; } = "";
        public Step? First { get; init; }
        public Label? Label { get; init; }
    }

    public sealed record Step
    {
        public string Name { get; init; } = "";
    }

    public sealed record Label(string Text);

    [Database(typeof(Chore))]
    public partial class ChoreDb;
}

namespace Repos.Tests.Generated.DefaultsV2
{
    [Entity]
    public partial record Chore
    {
        [Key] public int Id { get; init; }
        public string Title { get; init; } = "";
        public Step? First { get; init; }
        public Label? Label { get; init; }
        public string Status { get; init; } = "todo";
        public bool Active { get; init; } = true;
        public List<string> Tags { get; init; } = new() { "a" };
        public int? Estimate { get; init; } = 30;
        public string? Note { get; init; } = "none";
        public string NoInitializer { get; init; } = string.Empty;
    }

    public sealed record Step
    {
        public string Name { get; init; } = "";
        public int Priority { get; init; } = 3;
    }

    public sealed record Label(string Text, string Color = "blue", int Weight = 2);

    [Database(typeof(Chore))]
    public partial class ChoreDb;
}
