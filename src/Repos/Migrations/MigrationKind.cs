namespace Repos.Migrations;

/// <summary>What an <see cref="AppliedMigration"/> migrated.</summary>
public enum MigrationKind
{
    /// <summary>An entity's rows, all of them at open (<see cref="EntityAttribute.Version"/>).</summary>
    Entity,

    /// <summary>
    /// An entity that migrates lazily (<see cref="EntityAttribute.MigrateLazily"/>): its index columns were
    /// updated at open, and its rows are upgraded as they are read and written.
    /// </summary>
    LazyEntity,

    /// <summary>A step of the database's own migration (<see cref="DatabaseAttribute.Version"/>).</summary>
    Database,
}
