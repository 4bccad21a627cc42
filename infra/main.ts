import { buildApp } from "./app.ts";

// The CDK CLI's entry (cdk.json). Bundles every function with esbuild and runs cdk-nag.
buildApp().app.synth();
