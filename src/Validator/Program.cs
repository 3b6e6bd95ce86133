using PortSelection.Validator.Cli;

return CliApp.Run(args);
