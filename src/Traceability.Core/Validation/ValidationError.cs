namespace Traceability.Core.Validation;

/// <summary>One broken KP rule: the field and what is wrong.</summary>
/// <param name="Field">Path of the field, for example "details.parcelCount".</param>
/// <param name="Rule">A short stable name of the rule, for machines.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record ValidationError(string Field, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>A record that breaks KP rules; lists every broken rule.</summary>
public sealed class RecordValidationException(IReadOnlyList<ValidationError> errors)
    : Exception("the record breaks KP rules: " + string.Join("; ", errors))
{
    /// <summary>Every broken rule.</summary>
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}
