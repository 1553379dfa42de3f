"""Store settings (policies, promotions, agents) read from data/store/store.yml (config.py), the store's data files
(files.py), policy values (policies.py) and the settings editor (editor.py)."""
