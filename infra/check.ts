// `npm run infra:check`: compiles and lints infra/main.bicep with the real Bicep CLI, offline.
// The CLI comes from NuGet (Azure.Bicep.CommandLine.linux-x64) through `dotnet restore` of a
// one-line project, cached under .cache/bicep/ (gitignored); later runs reuse it. Any warning
// fails, as an error does: the rules bicepconfig.json sets are the ones we hold ourselves to.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const bicepVersion = '0.49.2';
const packageId = 'Azure.Bicep.CommandLine.linux-x64';
// Compiled to dist/infra/check.js: the repository is two levels up.
const root = path.resolve(__dirname, '..', '..');
const cache = path.join(root, '.cache', 'bicep');
const packages = path.join(cache, 'packages');
const cli = path.join(packages, packageId.toLowerCase(), bicepVersion, 'tools', 'bicep');
const entry = path.join(root, 'infra', 'main.bicep');

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  return result;
}

function installCli(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `infra:check fetches the linux-x64 Bicep CLI; this is ${process.platform}-${process.arch}.`,
    );
  }
  const project = path.join(cache, 'restore');
  mkdirSync(project, { recursive: true });
  // PackageDownload fetches the package without referencing it: no build, no assets.
  writeFileSync(
    path.join(project, 'bicep-cli.csproj'),
    `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="${packageId}" Version="[${bicepVersion}]" /></ItemGroup>
</Project>
`,
  );
  console.log(`infra:check: restoring ${packageId} ${bicepVersion} from NuGet into .cache/bicep/`);
  const restore = run('dotnet', ['restore', project, '--packages', packages], {
    stdio: 'inherit',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
  });
  if (restore.status !== 0 || !existsSync(cli)) throw new Error(`dotnet restore of ${packageId} failed.`);
  chmodSync(cli, 0o755); // NuGet extracts without the execute bit
}

/** Runs one Bicep command; its diagnostics (stderr) count as failures, warnings included. */
function bicep(args: string[]): boolean {
  const result = run(cli, args, { env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  const diagnostics = `${String(result.stdout)}${String(result.stderr)}`.trim();
  if (diagnostics) console.log(diagnostics);
  const warned = /\) : (Warning|Error) /.test(diagnostics);
  return result.status === 0 && !warned;
}

if (!existsSync(cli)) installCli();
const out = path.join(cache, 'out');
rmSync(out, { recursive: true, force: true });
const built = bicep(['build', entry, '--outdir', out]);
const linted = bicep(['lint', entry]);
if (!built || !linted) {
  console.error(
    `infra:check failed: ${built ? '' : 'bicep build '}${linted ? '' : 'bicep lint '}reported problems.`,
  );
  process.exit(1);
}
console.log(`infra:check: bicep ${bicepVersion} build and lint of infra/main.bicep passed`);
