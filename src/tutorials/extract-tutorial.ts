// One tutorial from disk to a suite: its docs config, its chapters, the reading of its commands.
import { loadDocsConfig } from './config.ts';
import { extract, type Extraction } from './extract/extract.ts';
import { docSuite, setupActions } from './extract/suite.ts';
import { readTutorial } from './read/tutorial.ts';
import type { Suite } from '../suite/types.ts';

export async function extractTutorial(target: string, configFile?: string, offline = false): Promise<{ extraction: Extraction; suite: Suite }> {
  const config = { ...(await loadDocsConfig(target, configFile)), offline };
  const tutorial = await readTutorial(target, config);
  const { actions: setup, apps } = await setupActions(config);
  const extraction = await extract(target, tutorial, config, setup);
  return { extraction, suite: docSuite(extraction, setup, apps) };
}
