import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { AssetHashType, DockerImage, RemovalPolicy } from "aws-cdk-lib";
import { Architecture, Code, LayerVersion, Runtime } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { FONT_PACKAGE, FONT_WEIGHTS, fontFile } from "../../functions/adapters/pdf-renderer.ts";

/** The packages the PDF renderer loads at run time from the layer (functions/adapters/pdf-renderer.ts). */
export const PDF_RENDERER_PACKAGES = ["@sparticuz/chromium", "playwright-core"] as const;

/** Raised when the layer's layout changes, so a layer built by an older synth is not reused from the cache. */
const LAYOUT = "1";

/** Where Node.js in Lambda finds a layer's packages (NODE_PATH holds /opt/nodejs/node_modules). */
const LAYER_MODULES = join("nodejs", "node_modules");

/** A package directory as Node finds it from `fromDir`: the nearest node_modules/<name> up the tree. */
function findPackage(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Each package of PDF_RENDERER_PACKAGES and everything it depends on, as npm installed them: its directory and its
 * version. An optional dependency npm did not install (another platform's) is left out, as Node would.
 */
export function rendererPackages(projectRoot: string): Array<{ dir: string; version: string }> {
  const found = new Map<string, string>();
  const visit = (dir: string) => {
    if (found.has(dir)) return;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      version: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    found.set(dir, manifest.version);
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const dependency = findPackage(dir, name);
      if (dependency) visit(dependency);
    }
  };
  for (const name of PDF_RENDERER_PACKAGES) {
    const dir = findPackage(projectRoot, name);
    if (!dir) throw new Error(`${name} is not installed (npm ci)`);
    visit(dir);
  }
  return [...found].map(([dir, version]) => ({ dir, version })).sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * Lays the layer out in `outputDir` from the project's node_modules, offline: every renderer package and its
 * dependencies at the same place below nodejs/node_modules as below node_modules, and of the font package only its
 * manifest, its ranges and the WOFF2 pieces of the weights the renderer embeds (a tenth of the package).
 */
export function buildPdfRendererLayer(projectRoot: string, outputDir: string): void {
  const modules = join(projectRoot, "node_modules");
  for (const { dir } of rendererPackages(projectRoot))
    cpSync(dir, join(outputDir, LAYER_MODULES, relative(modules, dir)), { recursive: true, dereference: true });
  const fontDir = findPackage(projectRoot, FONT_PACKAGE);
  if (!fontDir) throw new Error(`${FONT_PACKAGE} is not installed (npm ci)`);
  const target = join(outputDir, LAYER_MODULES, relative(modules, fontDir));
  mkdirSync(join(target, "files"), { recursive: true });
  for (const file of ["package.json", "unicode.json", "LICENSE"]) cpSync(join(fontDir, file), join(target, file));
  // The pieces the renderer can embed: each subset of unicode.json in each weight (not the whole-script files).
  const subsets = Object.keys(JSON.parse(readFileSync(join(fontDir, "unicode.json"), "utf8")) as object);
  for (const weight of FONT_WEIGHTS)
    for (const subset of subsets)
      cpSync(join(fontDir, fontFile(subset, weight)), join(target, fontFile(subset, weight)));
}

export interface PdfRendererLayerProps {
  /** Absolute path of the repository root, whose node_modules the layer is copied from. */
  readonly projectRoot: string;
}

/**
 * Headless Chromium (@sparticuz/chromium, its binary compressed inside the package), playwright-core and the
 * Japanese webfont, as a Lambda layer for the functions that print: esbuild cannot bundle a browser binary, so
 * those functions leave the packages out of their bundle and find them here. The layer is built at synth by
 * copying from node_modules (no Docker, no network), and reused while the packages' versions stay the same.
 */
export class PdfRendererLayer extends Construct {
  readonly layer: LayerVersion;

  constructor(scope: Construct, id: string, props: PdfRendererLayerProps) {
    super(scope, id);
    const fontVersion = (
      JSON.parse(readFileSync(join(props.projectRoot, "node_modules", FONT_PACKAGE, "package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    const versions = rendererPackages(props.projectRoot).map(
      ({ dir, version }) => `${relative(props.projectRoot, dir)}@${version}`,
    );
    const assetHash = createHash("sha256")
      .update(JSON.stringify({ LAYOUT, versions, font: `${fontVersion}:${FONT_WEIGHTS.join(",")}` }))
      .digest("hex");
    this.layer = new LayerVersion(this, "Layer", {
      description: "Chromium for Lambda (@sparticuz/chromium), playwright-core and Noto Sans JP, for printing reports",
      // The asset's source is the package it is mostly made of; its hash is the versions above, not the 60 MB.
      code: Code.fromAsset(join(props.projectRoot, "node_modules", PDF_RENDERER_PACKAGES[0]), {
        assetHashType: AssetHashType.CUSTOM,
        assetHash,
        bundling: {
          // Required by the type, never pulled: local bundling always succeeds, so Docker is not used.
          image: DockerImage.fromRegistry("local-bundling-only"),
          local: {
            tryBundle(outputDir: string) {
              buildPdfRendererLayer(props.projectRoot, outputDir);
              return true;
            },
          },
        },
      }),
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      // The npm package's Chromium is an x86_64 build.
      compatibleArchitectures: [Architecture.X86_64],
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
