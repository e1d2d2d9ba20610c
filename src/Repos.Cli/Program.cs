using Repos.Cli;

return await ReposCommand.RunAsync(args).ConfigureAwait(false);
