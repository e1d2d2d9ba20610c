namespace Repos.Transfer;

/// <summary>Why a document could not be imported.</summary>
public enum JsonImportErrorKind
{
    /// <summary>
    /// The JSON is not well-formed (the dump as a whole, or the JSON text inside a string value), or a string
    /// or property name in it is not valid UTF-8 (a malformed or overlong byte sequence, or an escaped lone surrogate such as <c>\ud800</c>).
    /// </summary>
    MalformedJson,

    /// <summary><see cref="JsonImportOptions.Path"/> names no value in the dump, or one that holds no documents.</summary>
    PathNotFound,

    /// <summary>A document is not a JSON object.</summary>
    NotAnObject,

    /// <summary>A value does not fit its property's type (wrong JSON type, out of range, not a valid date...).</summary>
    InvalidValue,

    /// <summary>A required property (the key, or a C# <c>required</c> member) is missing, or null where null is not allowed.</summary>
    MissingValue,

    /// <summary>A JSON property matches no property, and <see cref="JsonImportOptions.UnknownProperties"/> is <see cref="UnknownPropertyHandling.Fail"/>.</summary>
    UnknownProperty,

    /// <summary>Two JSON properties of one object match the same property.</summary>
    AmbiguousProperty,

    /// <summary>The entity breaks a validation rule (DataAnnotations attributes, required members, its <c>Validate</c> hook).</summary>
    Validation,

    /// <summary>The key is already stored or came earlier in the import, and <see cref="JsonImportOptions.DuplicateKeys"/> is <see cref="DuplicateKeyHandling.Fail"/>.</summary>
    DuplicateKey,

    /// <summary>Another entity has the same values in a unique index.</summary>
    UniqueIndexViolation,

    /// <summary>
    /// A string, number, property name or document is longer, or objects and arrays nest deeper, than
    /// <see cref="JsonImportOptions"/> allows (<see cref="JsonImportOptions.MaxStringBytes"/>,
    /// <see cref="JsonImportOptions.MaxPropertyNameBytes"/>, <see cref="JsonImportOptions.MaxDocumentBytes"/>,
    /// <see cref="JsonImportOptions.MaxDepth"/>).
    /// </summary>
    LimitExceeded,
}
