using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Traceability.Core.Validation;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// kp's options and arguments for amounts, dates, addresses, ports and counts: each is parsed by
/// <see cref="StrictValues"/> (one strict, culture-free parser) while the command line is parsed, so a
/// bad value is exit code 2 with a sentence naming the option ("--carats: '1,5' is not an amount: ..."),
/// before anything is read, signed or sent, and never an unhandled exception.
/// </summary>
public static class StrictOptions
{
    /// <summary>An amount of carats (at most two decimals) as hundredths, up to <see cref="Plausibility.MaxCarats"/>.</summary>
    public static Option<ulong> Carats(string name, string description, bool required = false) =>
        Make<ulong>(name, description, s => StrictValues.Hundredths(s, Plausibility.MaxCarats, "ct"), required: required);

    /// <summary>An amount of US dollars (at most two decimals) as cents, up to <see cref="Plausibility.MaxValueUsd"/>.</summary>
    public static Option<ulong> UsDollars(string name, string description) =>
        Make<ulong>(name, description, s => StrictValues.Hundredths(s, Plausibility.MaxValueUsd, "US$"));

    /// <summary>
    /// A date of a new document (yyyy-MM-dd or Unix seconds), at most <see cref="Plausibility.MaxDaysAhead"/>
    /// days ahead; absent: null (the command uses now).
    /// </summary>
    public static Option<ulong?> DocumentDate(string name, string description) =>
        Make<ulong?>(name, description, s => StrictValues.Date(s, Plausibility.LatestDate(DateTimeOffset.UtcNow)));

    /// <summary>Any date from 2000 to 2106 (yyyy-MM-dd or Unix seconds); absent: null.</summary>
    public static Option<ulong?> AnyDate(string name, string description) =>
        Make<ulong?>(name, description, s => StrictValues.Date(s));

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> Integer(string name, string description, int min, int max, int defaultValue) =>
        Make(name, description, s => (int)StrictValues.Integer(s, min, max), defaultValue);

    /// <summary>A TCP port (0 allowed when <paramref name="zeroMeans"/> says what it means).</summary>
    public static Option<int> Port(string name, string description, int defaultValue, string? zeroMeans = null) =>
        Make(name, description, s => StrictValues.Port(s, zeroMeans), defaultValue);

    /// <summary>An Ethereum address (EIP-55 checksum checked when mixed case); absent: null. The value is checksummed.</summary>
    public static Option<string?> Address(string name, string description) =>
        Make<string?>(name, description, StrictValues.Address);

    /// <summary>An address argument (EIP-55 checksum checked when mixed case). The value is checksummed.</summary>
    public static Argument<string> AddressArgument(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.CustomParser = result => Parse(result, name, StrictValues.Address, "");
        return argument;
    }

    /// <summary>A value of <typeparamref name="T"/> by its name only (case-insensitive): numbers such as "99" or "-1" are refused.</summary>
    public static Option<T> Choice<T>(string name, string description, T defaultValue) where T : struct, Enum =>
        Make(name, description, s => ParseChoice<T>(s), defaultValue);

    /// <summary>An argument of <typeparamref name="T"/> by its name only (case-insensitive).</summary>
    public static Argument<T> ChoiceArgument<T>(string name, string description) where T : struct, Enum
    {
        var argument = new Argument<T>(name) { Description = description };
        argument.CustomParser = result => Parse(result, name, ParseChoice<T>, default(T));
        return argument;
    }

    /// <summary>A whole-number argument from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Argument<int> IntegerArgument(string name, string description, int min, int max)
    {
        var argument = new Argument<int>(name) { Description = description };
        argument.CustomParser = result => Parse(result, name, s => (int)StrictValues.Integer(s, min, max), 0);
        return argument;
    }

    /// <summary>A decimal number from <paramref name="min"/> to <paramref name="max"/>: digits with an optional '.' and decimals (no separators, no exponent, no comma).</summary>
    public static Option<decimal> Fraction(string name, string description, decimal min, decimal max, decimal defaultValue) =>
        Make(name, description, s =>
        {
            var text = s ?? "";
            var parts = text.Split('.');
            if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) || text.Length > 30)
            {
                throw new FormatException($"'{text}' is not a number: digits with an optional '.' and decimals (such as 0.5), no comma or separators");
            }
            var v = decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            if (v < min || v > max) throw new FormatException($"{text} is out of range: from {min} to {max}");
            return v;
        }, defaultValue);

    /// <summary>A JSON-RPC endpoint (<see cref="RpcEndpoint.Parse"/>: host:port means http://host:port); absent: null.</summary>
    public static Option<string?> Url(string name, string description) =>
        Make<string?>(name, description, RpcEndpoint.Parse);

    /// <summary>One of <paramref name="choices"/> (case-insensitive; the value is the choice as listed).</summary>
    public static Option<string> Word(string name, string description, IReadOnlyList<string> choices, bool required = false) =>
        Make(name, description, s => Pick(s, choices), choices[0], required);

    /// <summary>One of <paramref name="choices"/> (case-insensitive; the value is the choice as listed); absent: null.</summary>
    public static Option<string?> OptionalWord(string name, string description, IReadOnlyList<string> choices) =>
        Make<string?>(name, description, s => Pick(s, choices));

    private static T ParseChoice<T>(string text) where T : struct, Enum => Enum.Parse<T>(Pick(text, Enum.GetNames<T>()));

    /// <summary>The choice <paramref name="text"/> names, case-insensitive; otherwise a sentence listing them, with the nearest when it is a likely typo.</summary>
    private static string Pick(string text, IReadOnlyList<string> choices)
    {
        foreach (var n in choices)
        {
            if (string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) return n;
        }
        var near = Suggestions.Nearest(text, choices);
        throw new FormatException($"'{text}' is not one of {string.Join(", ", choices)}{(near is null ? "" : $"; did you mean {near}?")}");
    }

    private static Option<T> Make<T>(string name, string description, Func<string, T> parse, T defaultValue = default!, bool required = false)
    {
        var option = new Option<T>(name) { Description = description, Required = required };
        option.CustomParser = result => result.Tokens.Count == 0 ? defaultValue : Parse(result, name, parse, defaultValue);
        if (!required) option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    private static T Parse<T>(ArgumentResult result, string name, Func<string, T> parse, T fallback)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            result.AddError($"{name}: {e.Message}");
            return fallback;
        }
    }

    /// <summary>
    /// An endpoint from a variable or a configuration file (<paramref name="setting"/> names it in the error): an
    /// absolute http(s) or ws(s) URL; <c>host:port</c> means http://host:port.
    /// </summary>
    public static string ParseUrl(string text, string setting)
    {
        try
        {
            return RpcEndpoint.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"{setting}: {e.Message}", setting);
        }
    }

    /// <summary>A text option checked by <paramref name="parse"/> (which throws <see cref="FormatException"/> with a sentence); absent: null.</summary>
    public static Option<string?> Text(string name, string description, Func<string, string> parse) => Make<string?>(name, description, parse);

    /// <summary>
    /// <paramref name="option"/> without a default shown in help: for options whose absence means something other
    /// than a value (the one node running, none given), so help never shows a default that would be refused if typed.
    /// </summary>
    public static Option<T> NoDefaultInHelp<T>(this Option<T> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.DefaultValueFactory = null;
        return option;
    }
}
