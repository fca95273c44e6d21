import { expect, test } from "bun:test";
import { ciJobFromEnvironment } from "../../src/client/ci-job.ts";

/** Variables as each CI system documents them, and what a session records from them. */
test.each([
  {
    system: "GitLab CI",
    env: {
      GITLAB_CI: "true",
      CI_JOB_URL: "https://gitlab.example/team/net/-/jobs/881",
      CI_JOB_ID: "881",
      CI_PIPELINE_ID: "412",
      CI_PIPELINE_URL: "https://gitlab.example/team/net/-/pipelines/412",
      CI_COMMIT_SHA: "9fceb02d",
      CI_COMMIT_REF_NAME: "feature/ospf",
    },
    expected: {
      ci_system: "gitlab-ci",
      ci_job_url: "https://gitlab.example/team/net/-/jobs/881",
      ci_job_id: "881",
      ci_pipeline: "412",
      ci_pipeline_url: "https://gitlab.example/team/net/-/pipelines/412",
      ci_commit: "9fceb02d",
      ci_branch: "feature/ospf",
    },
  },
  {
    system: "GitHub Actions (a pull request: the head branch)",
    env: {
      GITHUB_ACTIONS: "true",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "team/net",
      GITHUB_RUN_ID: "99",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_JOB: "lab-tests",
      GITHUB_WORKFLOW: "lab tests",
      GITHUB_RUN_NUMBER: "12",
      GITHUB_SHA: "abc123",
      GITHUB_REF_NAME: "5/merge",
      GITHUB_HEAD_REF: "fix-mtu",
    },
    expected: {
      ci_system: "github-actions",
      ci_job_url: "https://github.com/team/net/actions/runs/99/attempts/2",
      ci_job_id: "lab-tests",
      ci_pipeline: "lab tests #12",
      ci_pipeline_url: "https://github.com/team/net/actions/runs/99",
      ci_commit: "abc123",
      ci_branch: "fix-mtu",
    },
  },
  {
    system: "Buildkite",
    env: {
      BUILDKITE: "true",
      BUILDKITE_BUILD_URL: "https://buildkite.com/team/net/builds/31",
      BUILDKITE_JOB_ID: "0190-ab",
      BUILDKITE_PIPELINE_SLUG: "net",
      BUILDKITE_BUILD_NUMBER: "31",
      BUILDKITE_COMMIT: "def456",
      BUILDKITE_BRANCH: "main",
    },
    expected: {
      ci_system: "buildkite",
      ci_job_url: "https://buildkite.com/team/net/builds/31#0190-ab",
      ci_job_id: "0190-ab",
      ci_pipeline: "net #31",
      ci_pipeline_url: "https://buildkite.com/team/net/builds/31",
      ci_commit: "def456",
      ci_branch: "main",
    },
  },
  {
    system: "Jenkins (no Git plugin: no commit)",
    env: {
      JENKINS_URL: "https://jenkins.example/",
      BUILD_URL: "https://jenkins.example/job/net/7/",
      BUILD_TAG: "jenkins-net-7",
      JOB_NAME: "net",
      BUILD_NUMBER: "7",
      JOB_URL: "https://jenkins.example/job/net/",
      BRANCH_NAME: "main",
    },
    expected: {
      ci_system: "jenkins",
      ci_job_url: "https://jenkins.example/job/net/7/",
      ci_job_id: "jenkins-net-7",
      ci_pipeline: "net #7",
      ci_pipeline_url: "https://jenkins.example/job/net/",
      ci_branch: "main",
    },
  },
  { system: "no CI", env: { CI_JOB_ID: "1", HOME: "/root" }, expected: {} },
])("$system", ({ env, expected }) => {
  expect(ciJobFromEnvironment(env)).toEqual(expected);
});
