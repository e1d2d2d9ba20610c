using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Repos.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Ids are never reused; docs/diagnostics.md explains each with an
/// example, and AnalyzerReleases.*.md list them.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Repos";
    private const string HelpBase = "docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor EntityMustBePartial = Create(
        "REPOS001", "Entity type must be partial", "The entity '{0}' must be declared partial so Repos can add its validator");

    public static readonly DiagnosticDescriptor EntityHasNoKey = Create(
        "REPOS002", "Entity has no key", "The entity '{0}' has no property marked [Key]; mark exactly one property as its key");

    public static readonly DiagnosticDescriptor EntityHasSeveralKeys = Create(
        "REPOS003", "Entity has more than one key", "The entity '{0}' marks '{1}' as [Key] as well as '{2}'; an entity has exactly one key property");

    public static readonly DiagnosticDescriptor UnsupportedPropertyType = Create(
        "REPOS004", "Property type cannot be stored", "The property '{0}' of '{1}' has type '{2}', which Repos cannot store{3}");

    public static readonly DiagnosticDescriptor IndexPropertyNotFound = Create(
        "REPOS005", "Index names a missing property", "The index on '{0}' names '{1}', which is not a stored property of it");

    public static readonly DiagnosticDescriptor PropertyCannotBeIndexed = Create(
        "REPOS006", "Property type cannot be indexed", "The property '{0}' of '{1}' has type '{2}', which cannot be an index column; index columns are numbers, booleans, enums, strings, Guid, dates and times, byte arrays or nullable versions of these");

    public static readonly DiagnosticDescriptor IgnoreCaseWithoutString = Create(
        "REPOS050", "IgnoreCase on an index without a string property", "The index on ({1}) of '{0}' sets IgnoreCase, but none of its properties is a string; IgnoreCase applies to string properties only");

    public static readonly DiagnosticDescriptor IgnoreCaseConflict = Create(
        "REPOS051", "Property indexed both ignoring and respecting case", "The property '{1}' of '{0}' is in an index that ignores case and in one that does not; its index column holds one form, so put it in indexes of one kind");

    public static readonly DiagnosticDescriptor DuplicateIndex = Create(
        "REPOS007", "Duplicate index", "The entity '{0}' declares an index on ({1}) twice");

    public static readonly DiagnosticDescriptor EntityInSeveralDatabases = Create(
        "REPOS008", "Entity listed in two databases", "The entity '{0}' is listed by the databases '{1}' and '{2}'; an entity belongs to one database");

    public static readonly DiagnosticDescriptor DatabaseMustBePartial = Create(
        "REPOS009", "Database type must be partial", "The database '{0}' must be declared partial so Repos can add its repositories and OpenAsync");

    public static readonly DiagnosticDescriptor DatabaseTypeIsNotEntity = Create(
        "REPOS010", "Database lists a type that is not an entity", "The database '{0}' lists '{1}', which is not marked [Entity]");

    public static readonly DiagnosticDescriptor UnsupportedKeyType = Create(
        "REPOS011", "Key type not supported", "The key '{0}' of '{1}' has type '{2}'; a key is a Guid, string, int or long");

    public static readonly DiagnosticDescriptor EntityMustBeTopLevel = Create(
        "REPOS012", "Type must be a top-level, non-generic class", "'{0}' must be a top-level, non-generic class or record: Repos generates code beside every entity, database and type stored in an entity");

    public static readonly DiagnosticDescriptor NoUsableConstructor = Create(
        "REPOS013", "Type has no constructor Repos can use", "The type '{0}' needs a parameterless constructor or a primary constructor whose parameters are all stored properties");

    public static readonly DiagnosticDescriptor InvalidVersion = Create(
        "REPOS014", "Entity version must be at least 1", "The entity '{0}' has Version = {1}; versions start at 1");

    public static readonly DiagnosticDescriptor DatabaseHasBaseClass = Create(
        "REPOS015", "Database type must not have a base class", "The database '{0}' derives from '{1}'; Repos makes it derive from ReposDatabase, so declare it without a base class");

    public static readonly DiagnosticDescriptor DuplicateTableName = Create(
        "REPOS016", "Two entities share a table", "The entities '{0}' and '{1}' of the database '{2}' are both stored in the table '{3}'");

    public static readonly DiagnosticDescriptor RuleDoesNotApply = Create(
        "REPOS017", "Validation attribute does not apply to the property type", "[{0}] on '{1}' of '{2}' does not apply to type '{3}'{4}");

    public static readonly DiagnosticDescriptor EmptyIndex = Create(
        "REPOS018", "Index names no property", "An [Index] on '{0}' names no property");

    public static readonly DiagnosticDescriptor IndexRepeatsProperty = Create(
        "REPOS019", "Index names a property twice", "The index on '{0}' names '{1}' more than once");

    public static readonly DiagnosticDescriptor FormerNameConflict = Create(
        "REPOS020", "Former name is in use", "The former name '{0}' of '{1}' in '{2}' is the name or former name of another property");

    public static readonly DiagnosticDescriptor DatabaseHasNoEntities = Create(
        "REPOS021", "Database lists no entities", "The database '{0}' lists no entity types");

    public static readonly DiagnosticDescriptor InvalidTableName = Create(
        "REPOS022", "Table name not allowed", "The table name '{0}' of '{1}' is not allowed: it is empty or starts with '_repos' or 'sqlite_'");

    public static readonly DiagnosticDescriptor MigrationMissing = Create(
        "REPOS023", "Migration not implemented", "The entity '{0}' is at Version {1} but has no migration from version {2}: add 'internal static partial void MigrateFromVersion{2}(Repos.Migrations.StoredRow row) {{ ... }}' to it");

    public static readonly DiagnosticDescriptor DatabaseNeedsParameterlessConstructor = Create(
        "REPOS024", "Database type needs a parameterless constructor", "The database '{0}' declares constructors but none without parameters; OpenAsync creates it with one, so add a parameterless constructor (it may be private) or remove the others");

    public static readonly DiagnosticDescriptor DatabaseMigrationMissing = Create(
        "REPOS025", "Database migration not implemented", "The database '{0}' is at Version {1} but has no migration from version {2}: add 'private async partial System.Threading.Tasks.ValueTask MigrateFromVersion{2}Async(Repos.Migrations.DatabaseMigration migration, System.Threading.CancellationToken cancellationToken) {{ ... }}' to it");

    public static readonly DiagnosticDescriptor InvalidDatabaseVersion = Create(
        "REPOS026", "Database version must be at least 1", "The database '{0}' has Version = {1}; versions start at 1");

    public static readonly DiagnosticDescriptor UnsupportedRowVersionType = Create(
        "REPOS027", "Row version type not supported", "The row version '{0}' of '{1}' has type '{2}'; a [ConcurrencyCheck] property is an int or a long");

    public static readonly DiagnosticDescriptor EntityHasSeveralRowVersions = Create(
        "REPOS028", "Entity has more than one row version", "The entity '{0}' marks '{1}' as [ConcurrencyCheck] as well as '{2}'; an entity has at most one row version");

    public static readonly DiagnosticDescriptor RowVersionCannotBeSet = Create(
        "REPOS029", "Row version cannot be set", "Repos cannot manage '{0}' as the row version of '{1}': {2}");

    public static readonly DiagnosticDescriptor RowVersionOutsideEntity = Create(
        "REPOS030", "Row version on a type that is not an entity", "'{0}' of '{1}' is marked [ConcurrencyCheck], but '{1}' is stored inside entities, not an entity itself; only an entity's own property can be its row version");

    public static readonly DiagnosticDescriptor PropertyCannotBeStored = Create(
        "REPOS031", "Property cannot be stored", "Repos cannot store '{0}' of '{1}': {2}; or mark it [NotMapped] if it is not stored state");

    public static readonly DiagnosticDescriptor StateNotStored = Create(
        "REPOS032", "Member holds state Repos does not store", "'{0}' of '{1}' holds a value Repos would not store: {2}; or mark it [NotMapped] if it is not stored state");

    public static readonly DiagnosticDescriptor PropertyHidesStoredProperty = Create(
        "REPOS033", "Property hides a stored property", "'{0}' of '{1}' hides the property '{0}' of '{2}' (new): each holds a value, and Repos stores one value per name; override it instead, rename one of them, or mark one [NotMapped]");

    public static readonly DiagnosticDescriptor InvalidRegularExpression = Create(
        "REPOS034", "Regular expression is not valid", "[RegularExpression] on '{0}' of '{1}' cannot be checked: {2}");

    public static readonly DiagnosticDescriptor RuleCanNeverPass = Create(
        "REPOS035", "Validation rule can never pass", "[{0}] on '{1}' of '{2}' is not a rule a value can meet: {3}");

    public static readonly DiagnosticDescriptor InvalidRangeBound = Create(
        "REPOS036", "Range bound is not a value of the property's type", "The [Range] bound {0} on '{1}' of '{2}' is not {3}");

    // A warning, so a model that shares the attribute with a UI (a form's [Phone]) can keep it with <NoWarn>REPOS037</NoWarn>.
    public static readonly DiagnosticDescriptor RuleNotChecked = Create(
        "REPOS037", "Validation attribute is not checked", "[{0}] on '{1}' of '{2}' would not be checked: {3}", DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor InvalidFormerName = Create(
        "REPOS038", "Former name is not valid", "The former name \"{0}\" of '{1}' in '{2}' {3}");

    public static readonly DiagnosticDescriptor MigrationHidesBaseMigration = Create(
        "REPOS039", "Migration step hides a base entity's", "'{0}' of '{1}' hides the migration step of the same name that its base entity '{2}' has; declare it 'internal static new partial void {0}(...)' so both are kept apart");

    public static readonly DiagnosticDescriptor UnsupportedGeneratedKey = Create(
        "REPOS055", "Key cannot be generated", "The key '{0}' of '{1}' is marked [DatabaseGenerated(DatabaseGeneratedOption.{2})], but Repos assigns keys only with DatabaseGeneratedOption.Identity, to an int, long or Guid key; '{0}' is {3}");

    public static readonly DiagnosticDescriptor GeneratedPropertyNotKey = Create(
        "REPOS056", "Only a key can be generated", "'{0}' of '{1}' is marked [DatabaseGenerated(DatabaseGeneratedOption.{2})], but it is not the entity's key; Repos assigns values only to keys");

    public static readonly DiagnosticDescriptor GeneratedKeyCannotBeSet = Create(
        "REPOS057", "Generated key cannot be set", "Repos cannot assign the key '{0}' of '{1}' on insert: {2}");

    public static readonly DiagnosticDescriptor GeneratedNameTaken = Create(
        "REPOS040", "Generated type name is taken", "Repos generates the type '{0}' for '{1}', but {2}; rename one of them{3}");

    public static readonly DiagnosticDescriptor InvalidGeneratedName = Create(
        "REPOS041", "Name is not a C# identifier", "The {0} '{1}' of '{2}' is not a C# identifier");

    public static readonly DiagnosticDescriptor RepositoryPropertyNameTaken = Create(
        "REPOS042", "Repository property name is taken", "The database '{0}' would get two members named '{1}': the repository property of '{2}' and {3}; give '{2}' another name with [Entity(PropertyName = \"...\")]");

    public static readonly DiagnosticDescriptor DatabaseListsEntityTwice = Create(
        "REPOS043", "Database lists an entity twice", "The database '{0}' lists '{1}' more than once");

    public static readonly DiagnosticDescriptor DatabaseKindNotSupported = Create(
        "REPOS044", "Database type cannot be a database", "The database '{0}' is {1}; a database is a partial, non-abstract, non-static class Repos can create, derived from ReposDatabase, visible to the generated code");

    public static readonly DiagnosticDescriptor EntityKindNotSupported = Create(
        "REPOS045", "Entity type cannot be an entity", "The entity '{0}' is {1}; an entity is a partial, non-abstract, non-static class or record class that Repos can create and that the generated code can see");

    public static readonly DiagnosticDescriptor ReservedMemberName = Create(
        "REPOS046", "Member name is used by Repos", "'{0}' of '{1}' has a name Repos gives a member it adds to '{1}' ({2}); rename it");

    public static readonly DiagnosticDescriptor HookHasWrongDeclaration = Create(
        "REPOS047", "Repos hook declared wrongly", "'{0}' of '{1}' is the implementation of a hook Repos declares, but it is not declared as one: write '{2}'");

    public static readonly DiagnosticDescriptor IndexMethodsCollide = Create(
        "REPOS048", "Two indexes would get the same query methods", "The indexes on ({1}) and ({2}) of '{0}' both get the query methods By{3}; drop or reorder one of them, or rename a property");

    public static readonly DiagnosticDescriptor EntityNamesDifferOnlyInCase = Create(
        "REPOS049", "Entity names differ only in case", "The entities '{0}' and '{1}' of {2} differ only in case, and their generated files would share names on a file system that ignores case; rename one of them");

    public static readonly DiagnosticDescriptor IndexColumnNameNotAllowed = Create(
        "REPOS063", "Index column name not allowed", "The property '{0}' of '{1}' cannot be an index column: {2}; rename it, or leave it out of the index");

    public static readonly DiagnosticDescriptor EntityOfAnotherAssembly = Create(
        "REPOS064", "Database lists an entity of another assembly", "The database '{0}' lists '{1}', an entity of the assembly '{2}'; Repos generates an entity's repository inside the entity's assembly, so declare the database there too");

    public static readonly DiagnosticDescriptor SyncedKeyFromCounter = Create(
        "REPOS070", "Synced entity's key comes from a counter", "'{0}' is marked [Synced], but Repos assigns its key '{1}' from the file's own counter, so two devices would both give out the same keys; give the key yourself, or make it a Guid (Repos assigns those at random)");

    public static readonly DiagnosticDescriptor SyncedWithoutEntity = Create(
        "REPOS071", "Synced type is not an entity", "'{0}' is marked [Synced] but not [Entity]; only entities are synced (an object stored inside a synced entity is synced with it)");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        EntityMustBePartial,
        EntityHasNoKey,
        EntityHasSeveralKeys,
        UnsupportedPropertyType,
        IndexPropertyNotFound,
        PropertyCannotBeIndexed,
        DuplicateIndex,
        EntityInSeveralDatabases,
        DatabaseMustBePartial,
        DatabaseTypeIsNotEntity,
        UnsupportedKeyType,
        EntityMustBeTopLevel,
        NoUsableConstructor,
        InvalidVersion,
        DatabaseHasBaseClass,
        DuplicateTableName,
        RuleDoesNotApply,
        EmptyIndex,
        IndexRepeatsProperty,
        FormerNameConflict,
        DatabaseHasNoEntities,
        InvalidTableName,
        MigrationMissing,
        DatabaseNeedsParameterlessConstructor,
        DatabaseMigrationMissing,
        InvalidDatabaseVersion,
        UnsupportedRowVersionType,
        EntityHasSeveralRowVersions,
        RowVersionCannotBeSet,
        RowVersionOutsideEntity,
        IgnoreCaseWithoutString,
        IgnoreCaseConflict,
        UnsupportedGeneratedKey,
        GeneratedPropertyNotKey,
        GeneratedKeyCannotBeSet,
        PropertyCannotBeStored,
        StateNotStored,
        PropertyHidesStoredProperty,
        InvalidRegularExpression,
        RuleCanNeverPass,
        InvalidRangeBound,
        RuleNotChecked,
        InvalidFormerName,
        MigrationHidesBaseMigration,
        GeneratedNameTaken,
        InvalidGeneratedName,
        RepositoryPropertyNameTaken,
        DatabaseListsEntityTwice,
        DatabaseKindNotSupported,
        EntityKindNotSupported,
        ReservedMemberName,
        HookHasWrongDeclaration,
        IndexMethodsCollide,
        EntityNamesDifferOnlyInCase,
        IndexColumnNameNotAllowed,
        EntityOfAnotherAssembly,
        SyncedKeyFromCounter,
        SyncedWithoutEntity);

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
