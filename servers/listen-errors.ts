/** Turns a failed listen into one line naming the port, instead of a stack trace. */
export function exitOnListenError(service: string, port: number, envName: string) {
  return (error: NodeJS.ErrnoException): never => {
    if (error.code === 'EADDRINUSE') {
      console.error(`${service}: port ${port} is already in use (set ${envName} to use another)`);
    } else if (error.code === 'EACCES') {
      console.error(
        `${service}: not allowed to listen on port ${port} (set ${envName} to use another)`,
      );
    } else {
      console.error(`${service}: could not listen on port ${port}: ${error.message}`);
    }
    process.exit(1);
  };
}
