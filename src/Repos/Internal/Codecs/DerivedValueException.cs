namespace Repos.Internal.Codecs;

/// <summary>
/// A stored object's property or element held an object of a derived type; the repository writing it turns this
/// into an <see cref="UnsupportedDerivedTypeException"/> naming the entity.
/// </summary>
internal sealed class DerivedValueException(Type declaredType, Type actualType)
    : InvalidOperationException($"A {declaredType.FullName} property held a {actualType.FullName}.")
{
    public Type DeclaredType { get; } = declaredType;

    public Type ActualType { get; } = actualType;
}
