namespace Traceability.Lab;

/// <summary>How far a long piece of lab work is: <paramref name="Done"/> of <paramref name="Total"/> <paramref name="Unit"/>.</summary>
/// <param name="Unit">What is counted, plural ("records confirmed", "certificates", "steps").</param>
/// <param name="Done">How many are done.</param>
/// <param name="Total">How many there will be (an estimate when the work cannot know in advance).</param>
/// <param name="Before">Of <paramref name="Done"/>, how many were done before this run (a resumed run found them done): the pace is that of the rest.</param>
public sealed record WorkProgress(string Unit, long Done, long Total, long Before = 0);
