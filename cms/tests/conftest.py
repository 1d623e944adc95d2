import pytest

from cms.tests.processes import manage, production_env


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected with production settings (hashed, compressed), as the
    Docker image build does."""
    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--no-input", env=production_env(STATIC_ROOT=root))
    assert result.returncode == 0, result.stderr
    return root
