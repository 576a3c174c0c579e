import json,sys
d=json.load(sys.stdin)
p='/work/wt/collect/holdout86/%s.json'%d['id']
json.dump(d,open(p,'w'),indent=2,ensure_ascii=False)
print('wrote',p)
