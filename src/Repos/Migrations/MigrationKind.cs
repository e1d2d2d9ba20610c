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

    /// <summary>
    /// Not a migration: an open found catalog rows that differed from the catalog's sealed copy and put them
    /// back (<see cref="ReposDatabase.CatalogRepair"/>). <see cref="AppliedMigration.Rows"/> counts the rows
    /// that differed; the versions are 0.
    /// </summary>
    CatalogRepair,
}
