import type { ClientInfo } from "./api-types.ts";
import type { Environment } from "./environment.ts";

type CiJob = Omit<ClientInfo, "name">;

/**
 * The CI job a process runs in, recognised from the variables its CI system sets (GitHub Actions,
 * GitLab CI, Jenkins, Buildkite); `{}` outside CI. Values the system leaves unset are left out.
 */
export function ciJobFromEnvironment(env: Environment): CiJob {
  const job = recognise(env);
  return Object.fromEntries(Object.entries(job ?? {}).filter(([, value]) => typeof value === "string" && value !== "")) as CiJob;
}

function recognise(env: Environment): CiJob | null {
  if (env.GITHUB_ACTIONS === "true") return github(env);
  if (env.GITLAB_CI === "true") return gitlab(env);
  if (env.BUILDKITE === "true") return buildkite(env);
  if (env.JENKINS_URL) return jenkins(env);
  return null;
}

function github(env: Environment): CiJob {
  const run = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;
  return {
    ci_system: "github-actions",
    // A job's own URL needs the job's numeric id, which Actions does not export; the run's page lists its jobs.
    ci_job_url: run && env.GITHUB_RUN_ATTEMPT ? `${run}/attempts/${env.GITHUB_RUN_ATTEMPT}` : run,
    ci_job_id: env.GITHUB_JOB,
    ci_pipeline: env.GITHUB_WORKFLOW && env.GITHUB_RUN_NUMBER ? `${env.GITHUB_WORKFLOW} #${env.GITHUB_RUN_NUMBER}` : env.GITHUB_RUN_ID,
    ci_pipeline_url: run,
    ci_commit: env.GITHUB_SHA,
    // A pull request's head branch; otherwise the branch or tag pushed.
    ci_branch: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME,
  };
}

function gitlab(env: Environment): CiJob {
  return {
    ci_system: "gitlab-ci",
    ci_job_url: env.CI_JOB_URL,
    ci_job_id: env.CI_JOB_ID,
    ci_pipeline: env.CI_PIPELINE_ID,
    ci_pipeline_url: env.CI_PIPELINE_URL,
    ci_commit: env.CI_COMMIT_SHA,
    ci_branch: env.CI_COMMIT_BRANCH || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.CI_COMMIT_REF_NAME,
  };
}

function buildkite(env: Environment): CiJob {
  return {
    ci_system: "buildkite",
    ci_job_url: env.BUILDKITE_BUILD_URL && env.BUILDKITE_JOB_ID
      ? `${env.BUILDKITE_BUILD_URL}#${env.BUILDKITE_JOB_ID}`
      : env.BUILDKITE_BUILD_URL,
    ci_job_id: env.BUILDKITE_JOB_ID,
    ci_pipeline: env.BUILDKITE_PIPELINE_SLUG && env.BUILDKITE_BUILD_NUMBER
      ? `${env.BUILDKITE_PIPELINE_SLUG} #${env.BUILDKITE_BUILD_NUMBER}`
      : env.BUILDKITE_PIPELINE_SLUG,
    ci_pipeline_url: env.BUILDKITE_BUILD_URL,
    ci_commit: env.BUILDKITE_COMMIT,
    ci_branch: env.BUILDKITE_BRANCH,
  };
}

function jenkins(env: Environment): CiJob {
  return {
    ci_system: "jenkins",
    ci_job_url: env.BUILD_URL,
    ci_job_id: env.BUILD_TAG,
    ci_pipeline: env.JOB_NAME && env.BUILD_NUMBER ? `${env.JOB_NAME} #${env.BUILD_NUMBER}` : env.JOB_NAME,
    ci_pipeline_url: env.JOB_URL,
    ci_commit: env.GIT_COMMIT,
    // Multibranch pipelines set BRANCH_NAME; the Git plugin sets GIT_BRANCH (e.g. origin/main).
    ci_branch: env.BRANCH_NAME || env.GIT_BRANCH,
  };
}
