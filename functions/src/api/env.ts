export interface ApiEnv {
  Variables: {
    requestId: string;
  };
}
